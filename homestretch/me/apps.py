from django.apps import AppConfig


class MeConfig(AppConfig):
    name = "homestretch.me"
    label = "me"
    verbose_name = "My practice"
