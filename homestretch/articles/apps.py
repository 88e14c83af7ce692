from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "homestretch.articles"
    label = "articles"
    verbose_name = "Articles and comments"
