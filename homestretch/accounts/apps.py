from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "homestretch.accounts"
    label = "accounts"
    verbose_name = "Accounts"
