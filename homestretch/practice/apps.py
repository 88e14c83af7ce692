from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "homestretch.practice"
    label = "practice"
    verbose_name = "Practice"
