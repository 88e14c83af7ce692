from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "homestretch.api"
    label = "api"
    verbose_name = "API"
