from django.apps import AppConfig


class CustomConfig(AppConfig):
    name = "homestretch.custom"
    label = "custom"
    verbose_name = "Custom sequences"
