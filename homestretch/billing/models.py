from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def active(self) -> "AccessGrantQuerySet":
        return self.filter(starts_at__lte=timezone.now(), ends_at__gt=timezone.now())


class AccessGrant(models.Model):
    """Library access that staff give one person until a date, with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-ends_at"]

    def __str__(self) -> str:
        return f"{self.user} until {self.ends_at:%Y-%m-%d}"
