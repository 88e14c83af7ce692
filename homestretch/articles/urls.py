from django.urls import path, re_path

from homestretch.articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/", feeds.atom_feed, name="feed"),
    path("feed/rss/", feeds.rss_feed, name="feed_rss"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    re_path(
        r"^files/(?P<name>articles/(?:covers|images)/[\w.-]+\.(?:jpg|jpeg|png|webp))$",
        views.article_file,
        name="file",
    ),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/comments/", views.comment_create, name="comment_create"),
]
