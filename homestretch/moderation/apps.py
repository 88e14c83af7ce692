from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "homestretch.moderation"
    label = "moderation"
    verbose_name = "Moderation"
