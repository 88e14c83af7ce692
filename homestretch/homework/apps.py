from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "homestretch.homework"
    verbose_name = "Homework"
