from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "homestretch.finder"
    label = "finder"
    verbose_name = "Finder: instructors and credentials"
