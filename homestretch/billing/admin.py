from django.contrib import admin
from django.http import HttpRequest

from homestretch.billing.models import AccessGrant


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin[AccessGrant]):
    list_display = ("user", "starts_at", "ends_at", "reason", "granted_by")
    search_fields = ("user__email", "reason")
    autocomplete_fields = ("user",)
    readonly_fields = ("granted_by", "created_at")

    def save_model(
        self, request: HttpRequest, obj: AccessGrant, form: object, change: bool
    ) -> None:
        if not change:
            obj.granted_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
