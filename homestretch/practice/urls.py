"""The member's own practice under /me/: logs, progress, reminders. Private pages.

Progress pages are the programs app's (they chart program days and outcome checks); they
keep their place here, in the `practice` namespace, so their URLs and names stay put."""

from django.urls import path, re_path

from homestretch.practice.views import logs, reminders
from homestretch.programs.views import progress

app_name = "practice"

urlpatterns = [
    path("logs/", logs.logs, name="logs"),
    path("logs/new/", logs.log, name="log"),
    path("logs/<int:pk>/", logs.log_edit, name="log_edit"),
    path("progress/", progress.progress_page, name="progress"),
    re_path(
        r"^progress/(?P<kind>pain|adherence|outcomes)\.csv$",
        progress.progress_csv,
        name="progress_csv",
    ),
    path("reminders/", reminders.reminders, name="reminders"),
    path("reminders/calendar/create/", reminders.calendar_feed_create, name="calendar_feed_create"),
    path("reminders/calendar/revoke/", reminders.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("reminders/calendar/delete/", reminders.calendar_feed_delete, name="calendar_feed_delete"),
    path(
        "reminders/push/<int:pk>/remove/",
        reminders.push_subscription_remove,
        name="push_subscription_remove",
    ),
]
