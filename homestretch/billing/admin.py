from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.audit.models import record
from homestretch.billing import services
from homestretch.billing.models import (
    AccessCode,
    AccessGrant,
    AccessRequest,
    Plan,
    Redemption,
    StripeEvent,
    Subscription,
)


def _staff(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


class ReadOnlyAdmin(admin.ModelAdmin):
    """Stripe and redemptions write these; staff look, and change them in Stripe."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
            obj.granted_by = _staff(request)
        super().save_model(request, obj, form, change)
        record(
            actor=_staff(request),
            action="billing.grant_change" if change else "billing.grant",
            item=obj,
            summary=f"Access for {obj.user.email} until {obj.ends_at:%Y-%m-%d %H:%M}: {obj.reason}",
        )

    def delete_model(self, request: HttpRequest, obj: AccessGrant) -> None:
        record(
            actor=_staff(request),
            action="billing.grant_delete",
            item=obj,
            summary=f"Removed access for {obj.user.email} (was until {obj.ends_at:%Y-%m-%d})",
        )
        super().delete_model(request, obj)


class AccessCodeForm(forms.ModelForm):
    class Meta:
        model = AccessCode
        fields = ("code", "days", "max_uses", "expires_at", "note")

    def clean_code(self) -> str:
        code = AccessCode.normalise(self.cleaned_data["code"])
        if not code.isalnum():
            raise forms.ValidationError("Use letters and digits only.")
        return code


@admin.register(AccessCode)
class AccessCodeAdmin(admin.ModelAdmin[AccessCode]):
    form = AccessCodeForm
    list_display = ("code", "days", "uses", "max_uses", "expires_at", "note")
    search_fields = ("code", "note")
    readonly_fields = ("uses", "created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: AccessCode, form: object, change: bool) -> None:
        if not change:
            obj.created_by = _staff(request)
        super().save_model(request, obj, form, change)
        record(
            actor=_staff(request),
            action="billing.code_change" if change else "billing.code_create",
            item=obj,
            summary=f"{obj.code}: {obj.days} days, {obj.max_uses} uses, "
            f"until {obj.expires_at:%Y-%m-%d}",
        )


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ("name", "interval", "price", "currency", "trial_days", "is_active")
    prepopulated_fields = {"slug": ("name",)}

    def save_model(self, request: HttpRequest, obj: Plan, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=_staff(request),
            action="billing.plan_change" if change else "billing.plan_create",
            item=obj,
            summary=f"{obj.name}: {obj.price} {obj.currency}/{obj.interval}, "
            f"{'active' if obj.is_active else 'inactive'}",
        )


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("user", "plan", "status", "current_period_end", "access_until")
    list_filter = ("status",)
    search_fields = ("user__email", "stripe_subscription_id")


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "code")
    search_fields = ("user__email", "code__code")


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "type", "event_id", "state")
    list_filter = ("state", "type")
    search_fields = ("event_id",)


class AccessRequestAnswerForm(forms.ModelForm):
    """The request as the person sent it, and staff's answer: a new one-use access code
    (made here, on save) with a note, or closing it without one."""

    answer = forms.ChoiceField(
        label="Answer",
        choices=[
            ("", "Not yet"),
            ("code", "Send a new access code"),
            ("close", "Close without a code"),
        ],
        required=False,
    )
    days = forms.IntegerField(
        label="Days of access the code gives", min_value=1, max_value=3660, initial=30
    )
    note = forms.CharField(
        label="A note in the email",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = AccessRequest
        fields: tuple[str, ...] = ()


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin[AccessRequest]):
    form = AccessRequestAnswerForm
    list_display = ("created_at", "email", "name", "state", "code")
    list_filter = ("state",)
    search_fields = ("email", "name")
    readonly_fields = (
        "created_at", "name", "email", "message", "user", "state", "code", "answered_by",
        "answered_at",
    )  # fmt: skip
    fieldsets = (
        ("Request", {"fields": ("created_at", "name", "email", "message", "user")}),
        (
            "Answer",
            {"fields": ("state", "code", "answered_by", "answered_at", "answer", "days", "note")},
        ),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people send requests from /subscribe/

    def save_model(
        self, request: HttpRequest, obj: AccessRequest, form: forms.ModelForm, change: bool
    ) -> None:
        answer = form.cleaned_data.get("answer")
        staff = _staff(request)
        assert staff is not None
        if answer == "code":
            try:
                code = services.access_request_answer(
                    access_request=obj,
                    days=form.cleaned_data["days"],
                    staff=staff,
                    note=form.cleaned_data.get("note", ""),
                )
            except services.BillingError as e:
                messages.error(request, e.message)
            else:
                messages.success(request, f"Code {code.code} made and emailed to {obj.email}.")
        elif answer == "close" and obj.state == AccessRequest.State.OPEN:
            obj.state = AccessRequest.State.CLOSED
            obj.answered_by, obj.answered_at = staff, timezone.now()
            obj.save(update_fields=["state", "answered_by", "answered_at"])
