from django.urls import path

from homestretch.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("comments/", views.comments_act, name="comments_act"),
    path("revisions/", views.revisions_act, name="revisions_act"),
]
