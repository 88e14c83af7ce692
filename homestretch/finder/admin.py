from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from homestretch.accounts.models import User
from homestretch.finder import services
from homestretch.finder.models import (
    Class,
    ContactMessage,
    Credential,
    CredentialType,
    Instructor,
    InstructorRevision,
    Location,
)


@admin.register(CredentialType)
class CredentialTypeAdmin(admin.ModelAdmin[CredentialType]):
    list_display = ("code", "name", "level", "valid_months")


class LocationAdminForm(forms.ModelForm[Location]):
    """Staff may type coordinates; left empty, the geocoder fills them from the city."""

    latitude = forms.FloatField(required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180)

    class Meta:
        model = Location
        fields = ("name", "address", "city", "country", "latitude", "longitude")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("latitude") is None or cleaned.get("longitude") is None:
            try:
                cleaned["latitude"], cleaned["longitude"] = services.locate(
                    city=cleaned.get("city", ""), country=cleaned.get("country", "")
                )
            except services.FinderError as e:
                raise forms.ValidationError(f"{e} Enter the coordinates instead.") from None
        return cleaned


class LocationInline(admin.StackedInline[Location, Instructor]):
    model = Location
    form = LocationAdminForm
    extra = 0


class ClassInline(admin.TabularInline[Class, Instructor]):
    model = Class
    extra = 0


class CredentialInline(admin.TabularInline[Credential, Instructor]):
    model = Credential
    extra = 0
    fields = ("type", "code", "issued_on", "expires_on", "revoked_at", "revoked_reason")
    readonly_fields = ("code", "revoked_at", "revoked_reason")


@admin.register(Instructor)
class InstructorAdmin(admin.ModelAdmin[Instructor]):
    list_display = ("display_name", "slug", "status", "teaches_online")
    list_filter = ("status", "teaches_online")
    search_fields = ("display_name", "slug", "user__email")
    readonly_fields = ("bio_html",)
    raw_id_fields = ("user",)
    inlines = (LocationInline, ClassInline, CredentialInline)

    def save_model(self, request: HttpRequest, obj: Instructor, form: Any, change: bool) -> None:
        obj.bio_html = services.render_bio(obj.bio)
        super().save_model(request, obj, form, change)


class CredentialAdminForm(forms.ModelForm[Credential]):
    class Meta:
        model = Credential
        fields = ("instructor", "type", "issued_on")


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin[Credential]):
    """Issue here (the expiry follows from the type); revoke with the list action."""

    form = CredentialAdminForm
    list_display = ("code", "type", "instructor", "issued_on", "expires_on", "revoked_at")
    list_filter = ("type", "revoked_at")
    search_fields = ("code", "instructor__display_name")
    raw_id_fields = ("instructor",)
    actions = ("revoke",)

    def get_readonly_fields(self, request: HttpRequest, obj: Credential | None = None) -> Any:
        if obj is None:
            return ()
        return (
            "instructor",
            "type",
            "issued_on",
            "code",
            "expires_on",
            "revoked_at",
            "revoked_reason",
            "revoked_by",
        )

    def save_model(self, request: HttpRequest, obj: Credential, form: Any, change: bool) -> None:
        if change:
            return  # issued credentials are changed only by revoking them
        issued = services.credential_issue(
            instructor=obj.instructor, type=obj.type, issued_on=obj.issued_on
        )
        obj.pk, obj.code, obj.expires_on = issued.pk, issued.code, issued.expires_on

    @admin.action(description="Revoke the selected credentials")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Credential]) -> None:
        assert isinstance(request.user, User)
        count = 0
        for credential in queryset.filter(revoked_at__isnull=True):
            services.credential_revoke(
                credential=credential, by=request.user, reason="Revoked by staff"
            )
            count += 1
        self.message_user(request, f"Revoked {count} credential(s).", messages.SUCCESS)


@admin.register(InstructorRevision)
class InstructorRevisionAdmin(admin.ModelAdmin[InstructorRevision]):
    list_display = ("instructor", "status", "created_at", "decided_at")
    list_filter = ("status",)
    readonly_fields = ("instructor", "data", "status", "decided_at")


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin[ContactMessage]):
    list_display = ("instructor", "sender_name", "created_at")
    readonly_fields = ("instructor", "sender_name", "sender_email", "sender", "body", "read_at")
