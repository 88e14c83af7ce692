from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "homestretch.studio"
    label = "studio"
    verbose_name = "Studio: the instructor workspace"
