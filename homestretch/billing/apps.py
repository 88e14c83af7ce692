from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "homestretch.billing"
    label = "billing"
    verbose_name = "Access and billing"
