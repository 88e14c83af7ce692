"""What the member's floor keeps of its own: data exports built in the background."""

import secrets

from django.db import models

from homestretch.accounts.models import User


def new_export_token() -> str:
    return secrets.token_urlsafe(24)


class DataExport(models.Model):
    """A member's data as a JSON file, built in the background when it is large. The
    token in the emailed link, the owner's session and `expires_at` guard the download."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    token = models.CharField(max_length=40, unique=True, default=new_export_token)
    file = models.FileField(upload_to="exports/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Data export of {self.user} ({self.created_at:%Y-%m-%d})"
