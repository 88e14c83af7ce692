from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "homestretch.audit"
    label = "audit"
    verbose_name = "Audit log"
