"""The member's own practice under /me/: progress, logs, reminders. Private pages."""

from django.urls import path

app_name = "practice"

urlpatterns: list = []
