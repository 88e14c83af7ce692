from django.contrib import admin
from django.http import HttpRequest

from homestretch.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the log is a record, so nobody edits or deletes it here."""

    list_display = ("created_at", "actor", "action", "from_status", "to_status", "summary")
    list_filter = ("action", "content_type")
    search_fields = ("summary", "actor__email")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
