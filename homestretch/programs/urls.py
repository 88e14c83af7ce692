from django.urls import path, re_path

from homestretch.programs.views import programs, reminders

app_name = "programs"

urlpatterns = [
    path("", programs.index, name="index"),
    # Tokens are URL-safe base64 (CalendarFeed.token); anything else is a 404 without a query.
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,40})\.ics$",
        reminders.calendar_feed,
        name="calendar_feed",
    ),
]
