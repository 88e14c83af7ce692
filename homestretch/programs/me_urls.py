"""The member's own practice under /me/: progress, logs, reminders. Private pages."""

from django.urls import path, re_path

from homestretch.programs.views import progress

app_name = "practice"

urlpatterns = [
    path("progress/", progress.progress_page, name="progress"),
    re_path(
        r"^progress/(?P<kind>pain|adherence|outcomes)\.csv$",
        progress.progress_csv,
        name="progress_csv",
    ),
]
