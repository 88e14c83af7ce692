"""The member's own practice under /me/: progress, logs, reminders. Private pages."""

from django.urls import path

from homestretch.programs.views import reminders

app_name = "practice"

urlpatterns: list = [
    path("reminders/", reminders.reminders, name="reminders"),
    path(
        "reminders/calendar/create/",
        reminders.calendar_feed_create,
        name="calendar_feed_create",
    ),
    path(
        "reminders/calendar/revoke/",
        reminders.calendar_feed_revoke,
        name="calendar_feed_revoke",
    ),
    path(
        "reminders/calendar/delete/",
        reminders.calendar_feed_delete,
        name="calendar_feed_delete",
    ),
]
