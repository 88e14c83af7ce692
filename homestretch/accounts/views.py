from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.forms import ManageUserSessionsForm
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from homestretch.accounts.forms import ProfileForm
from homestretch.accounts.models import User
from homestretch.billing.views import me_context as billing_context
from homestretch.lib.http import private_page
from homestretch.programs.models import PracticeLog
from homestretch.programs.state import current_programs


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
            return redirect("accounts:me")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "accounts/me.html#profile-form", {"form": form, "saved": saved})

    sessions = sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at)
    context = {
        "form": form,
        "emails": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "sessions": sessions,
        "my_programs": current_programs(user),
        "recent_logs": PracticeLog.objects.filter(user=user).select_related("sequence")[:5],
        **billing_context(user),
    }
    status = 400 if form.errors else 200
    return render(request, "accounts/me.html", context, status=status)


@login_required
@require_POST
def end_other_sessions(request: HttpRequest) -> HttpResponse:
    ManageUserSessionsForm(request=request).save(request)
    messages.success(request, "You are signed out everywhere else.")
    return redirect("accounts:me")
