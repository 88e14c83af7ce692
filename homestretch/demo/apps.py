from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "homestretch.demo"
    label = "demo"
    verbose_name = "Demo content"
