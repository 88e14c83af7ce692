from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "homestretch.programs"
    label = "programs"
    verbose_name = "Programs: self-checks, guided days, practice logs and outcomes"
