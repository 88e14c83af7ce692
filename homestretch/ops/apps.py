from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What the operator runs and watches: health, metrics, request ids, backups."""

    name = "homestretch.ops"
    label = "ops"
    verbose_name = "Operations"
