"""The member's floor: /me/ with a section from each app, the JSON export, and deleting
the account. Each app offers its section through a function (`<app>.sections`); this
page calls them and composes nothing else."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.forms import ManageUserSessionsForm
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.accounts.sections import apps_section
from homestretch.accounts.services import app_sign_in_revoke
from homestretch.billing.sections import subscription_section
from homestretch.billing.stripe_api import StripeUnavailable
from homestretch.homework.models import Assignment
from homestretch.homework.sections import homework_section
from homestretch.lib.http import private_page
from homestretch.lib.ratelimit import Rate, limited
from homestretch.library.models import Sequence
from homestretch.me import privacy
from homestretch.me.forms import DeleteAccountForm, ProfileForm
from homestretch.me.models import DataExport
from homestretch.me.tasks import build_data_export
from homestretch.programs.forms import LogForm
from homestretch.programs.sections import practice_section


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required has run
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def me(request: HttpRequest) -> HttpResponse:
    """The member's own page: profile, sign-in settings and where they are signed in."""
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=user)
    saved = False
    if request.method == "POST" and form.is_valid():
        form.save()
        saved = True
        if not request.htmx:  # type: ignore[attr-defined]
            messages.success(request, "Your profile is saved.")
            return redirect("me:index")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "me/index.html#profile-form", {"form": form, "saved": saved})

    apps = apps_section(user)
    # An app that signed in for tokens has a session too: it is listed once, under "Apps
    # signed in" with its own sign-out button, not again among the browsers.
    app_sessions = {sign_in.session_key for sign_in in apps["app_sign_ins"]}
    sessions = sorted(
        (s for s in UserSession.objects.purge_and_list(user) if s.session_key not in app_sessions),
        key=lambda s: s.created_at,
    )
    homework = homework_section(user)
    context = {
        "form": form,
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "sessions": sessions,
        **practice_section(user),
        **subscription_section(user),
        **apps,
        **homework,
        "homework_rows": _homework_rows(homework["homework"]),
    }
    status = 400 if form.errors else 200
    return render(request, "me/index.html", context, status=status)


def _homework_rows(
    homework: list[Assignment],
) -> list[tuple[Assignment, LogForm | None, list[tuple[Sequence, LogForm]]]]:
    """Each homework with a log form for its custom sequence (if it has one) and one per
    sequence, each form with its own ids."""
    return [
        (
            assignment,
            LogForm(auto_id=f"id_hw{assignment.pk}_custom_%s")
            if assignment.custom_version_id
            else None,
            [
                (sequence, LogForm(auto_id=f"id_hw{assignment.pk}_{sequence.pk}_%s"))
                for sequence in assignment.sequences.all()
            ],
        )
        for assignment in homework
    ]


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    ManageUserSessionsForm(request=request).save(request)
    messages.success(request, "You are signed out everywhere else.")
    return redirect("me:index")


@login_required
@require_POST
def app_sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign out an app that signed in with a token: its tokens stop working at once."""
    if not app_sign_in_revoke(user=_user(request), pk=pk):
        raise Http404("No such app.")
    messages.success(request, "The app is signed out.")
    return redirect(reverse("me:index") + "#apps")


EXPORT_RATES = [Rate.parse("5/h"), Rate.parse("10/d")]
DELETE_RATES = [Rate.parse("5/15m")]


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """Download all my data as JSON; when it is large, build it in the background and
    email an expiring link (so both the page and the email are rate-limited)."""
    user = _user(request)
    if limited("data-export", [f"user:{user.pk}"], EXPORT_RATES):
        return render(request, "homework/rate_limited.html", status=429)
    if privacy.export_size(user) <= settings.PRIVACY_EXPORT_INLINE_ROWS:
        response = HttpResponse(privacy.export_json(user), content_type="application/json")
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="homestretch-{stamp}.json"'
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
        return response
    job = DataExport.objects.create(
        user=user, expires_at=timezone.now() + timedelta(hours=settings.PRIVACY_EXPORT_HOURS)
    )
    transaction.on_commit(lambda: build_data_export.enqueue(export_id=job.pk))
    messages.success(
        request,
        "Your data is large, so we are putting it together in the background. "
        "We will email you a download link shortly.",
    )
    return redirect(reverse("me:index") + "#privacy")


@login_required
@require_GET
@private_page
def export_download(request: HttpRequest, token: str) -> HttpResponse:
    job = get_object_or_404(DataExport, token=token, user=_user(request), ready_at__isnull=False)
    if job.expires_at <= timezone.now():
        job.file.delete(save=False)
        job.delete()
        raise Http404("This download link has expired.")
    # A streaming response, typed as its base class by the stubs.
    return FileResponse(  # type: ignore[return-value]
        job.file.open("rb"),
        as_attachment=True,
        filename=f"homestretch-{job.created_at:%Y-%m-%d}.json",
        content_type="application/json",
    )


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete my account, after the password (and the 2FA code when on): see
    `privacy.account_erase` for the steps."""
    user = _user(request)
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    form = DeleteAccountForm(request.POST or None, user=user, has_totp=has_totp)
    if request.method == "POST":
        if limited("account-delete", [f"user:{user.pk}"], DELETE_RATES):
            return render(request, "homework/rate_limited.html", status=429)
        if form.is_valid():
            try:
                privacy.account_erase(
                    user=user, comments=privacy.Comments(form.cleaned_data["comments"])
                )
            except privacy.PrivacyError as e:
                form.add_error(None, e.message)
            except StripeUnavailable:
                form.add_error(
                    None,
                    "We could not reach the payment service to cancel your subscription, "
                    "so nothing was deleted. Please try again in a few minutes.",
                )
            else:
                logout(request)
                messages.success(request, "Your account and all your data are deleted.")
                return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "me/delete.html", {"form": form, "has_totp": has_totp}, status=status)
