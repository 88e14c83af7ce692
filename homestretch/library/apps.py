from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "homestretch.library"
    label = "library"
    verbose_name = "Library"
