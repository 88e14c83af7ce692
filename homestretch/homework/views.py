"""The client's side of homework: the consent page behind an invitation link, changing or
revoking consent, and logging homework. Every page is private (`private_page`: no-store)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.custom.views import render_watch
from homestretch.homework import services
from homestretch.homework.forms import ConsentEmailForm, ConsentForm, InvitationAnswerForm
from homestretch.homework.models import Assignment, Consent
from homestretch.homework.tokens import InvitationRefused, Refusal, read_token
from homestretch.lib.http import private_page

REFUSAL_STATUS = {Refusal.FORGED: 400, Refusal.EXPIRED: 410, Refusal.USED: 410}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
@private_page
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The consent page.

    1. The link must be genuine, unexpired and unused; otherwise a page says which.
    2. A visitor is asked to sign in (or sign up) and comes back here.
    3. Only the account the invitation was sent to may answer it.
    4. Accepting grants exactly the boxes ticked (logs only unless changed).
    """
    try:
        invite = read_token(token)
    except InvitationRefused as refused:
        return render(
            request,
            "homework/invitation_refused.html",
            {"reason": refused.reason.value, "invitation": refused.invitation},
            status=REFUSAL_STATUS[refused.reason],
        )
    context: dict[str, Any] = {"invitation": invite, "instructor": invite.instructor}
    if not request.user.is_authenticated:
        context["next"] = request.get_full_path()
        return render(request, "homework/invitation_signin.html", context)
    user = _user(request)
    if not services.email_matches(user, invite.email):
        return render(request, "homework/invitation_wrong_account.html", context, status=403)
    form = InvitationAnswerForm(request.POST or None, initial={"display_name": user.display_name})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "decline":
                services.invitation_decline(invitation=invite, user=user)
                messages.success(request, "You declined. Nothing is shared.")
                return redirect("me:index")
            if form.is_valid():
                consent = services.invitation_accept(
                    invitation=invite,
                    user=user,
                    shares=form.shares(),
                    name=form.cleaned_data["display_name"],
                )
                shared = ", ".join(consent.shared_labels()) or "nothing yet"
                messages.success(
                    request, f"You now share with {invite.instructor.display_name}: {shared}."
                )
                return redirect(reverse("me:index") + "#homework")
        except services.HomeworkError as e:
            form.add_error(None, e.message)
    context["form"] = form
    status = 400 if form.errors else 200
    return render(request, "homework/invitation.html", context, status=status)


def _my_active_consent(request: HttpRequest, pk: int) -> Consent:
    return get_object_or_404(
        Consent.objects.active().select_related("instructor"), pk=pk, client=_user(request)
    )


@login_required
@require_POST
def consent_change(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _my_active_consent(request, pk)
    form = ConsentForm(request.POST, prefix=f"c{consent.pk}")
    if form.is_valid():
        services.consent_change(consent=consent, shares=form.shares())
        messages.success(request, f"Saved: {consent.instructor.display_name} sees only that now.")
    return redirect(reverse("me:index") + "#homework")


@login_required
@require_POST
def consent_emails(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _my_active_consent(request, pk)
    form = ConsentEmailForm(request.POST)
    form.is_valid()
    wanted = bool(form.cleaned_data.get("email_homework"))
    services.consent_emails(consent=consent, email_homework=wanted)
    name = consent.instructor.display_name
    messages.success(
        request,
        f"We will email you when {name} assigns homework."
        if wanted
        else f"No more emails when {name} assigns homework.",
    )
    return redirect(reverse("me:index") + "#homework")


@login_required
@require_POST
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    consent = _my_active_consent(request, pk)
    services.consent_revoke(consent=consent)
    messages.success(
        request, f"You stopped sharing with {consent.instructor.display_name}. It applies now."
    )
    return redirect(reverse("me:index") + "#homework")


@login_required
@require_GET
def custom_sequence(request: HttpRequest, pk: int) -> HttpResponse:
    """The custom sequence of one of the client's homework, as the version assigned, while
    they still share with its instructor. Anyone else's homework is a 404."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("custom_version__custom_sequence__owner"),
        pk=pk,
        consent__client=_user(request),
        consent__revoked_at__isnull=True,
        custom_version__isnull=False,
    )
    assert assignment.custom_version is not None
    today = _user(request).local_today()
    return render_watch(request, assignment.custom_version, loggable=assignment.is_current(today))
