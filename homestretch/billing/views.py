"""Subscribing, redeeming codes, the Stripe webhook and the staff dashboard."""

import logging

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from homestretch.accounts.models import User
from homestretch.audit.models import AuditEntry
from homestretch.billing import dashboard as figures
from homestretch.billing import services, stripe_api
from homestretch.billing.access import has_library_access
from homestretch.billing.forms import AccessRequestForm, RedeemForm
from homestretch.billing.models import Plan
from homestretch.billing.tasks import process_stripe_event
from homestretch.lib.http import client_ip
from homestretch.lib.money import format_price, locale_from_accept_language
from homestretch.lib.ratelimit import Rate, limited

log = logging.getLogger(__name__)

REDEEM_RATES = [Rate.parse("5/m"), Rate.parse("20/h")]
# Access requests are anonymous and reach staff: a few an hour from one address or email.
ACCESS_REQUEST_RATES = [Rate.parse("3/h"), Rate.parse("10/d")]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required has run
    return request.user


def _subscribe_page(
    request: HttpRequest,
    form: RedeemForm | None = None,
    *,
    request_form: AccessRequestForm | None = None,
    requested: bool = False,
    status: int = 200,
) -> HttpResponse:
    """Plans, codes, and a way to ask for access.

    Only what can be bought is offered: a plan shows (with its trial) when card payment is
    set up and it has a Stripe price. Without any, the page says how to get access: an
    access code from the studio, asked for with the request form. Prices are in the
    visitor's locale (Accept-Language)."""
    user = request.user if isinstance(request.user, User) else None
    locale = locale_from_accept_language(request.headers.get("Accept-Language", ""))
    card_payment = stripe_api.configured()
    plans = [
        (plan, format_price(plan.price, plan.currency, locale))
        for plan in Plan.objects.filter(is_active=True).exclude(stripe_price_id="")
    ]
    if request_form is None:
        initial = {"email": user.email, "name": user.display_name} if user else {}
        request_form = AccessRequestForm(initial=initial)
    context = {
        "plans": plans if card_payment else [],
        "card_payment": card_payment,
        "trial_available": user is None or services.trial_available(user),
        "has_access": user is not None and has_library_access(user),
        "form": form or RedeemForm(),
        "request_form": request_form,
        "requested": requested,
    }
    return render(request, "billing/subscribe.html", context, status=status)


@require_GET
def subscribe(request: HttpRequest) -> HttpResponse:
    return _subscribe_page(request, requested=request.GET.get("requested") == "1")


@require_POST
def request_access(request: HttpRequest) -> HttpResponse:
    """Ask the studio for an access code; anyone may, a few times an hour."""
    form = AccessRequestForm(request.POST)
    identities = [f"ip:{client_ip(request)}"]
    email = request.POST.get("email", "").strip().lower()
    if email:
        identities.append(f"email:{email}")
    if limited("access_request", identities, ACCESS_REQUEST_RATES):
        form.add_error(None, "Too many requests from here. Please try again tomorrow.")
        return _subscribe_page(request, request_form=form, status=429)
    if not form.is_valid():
        return _subscribe_page(request, request_form=form, status=400)
    data = form.cleaned_data
    services.access_request_create(
        email=data["email"],
        name=data["name"],
        message=data["message"],
        user=request.user if isinstance(request.user, User) else None,
    )
    messages.success(
        request, f"Thank you. The studio will answer {data['email']} with an access code."
    )
    return redirect(reverse("billing:subscribe") + "?requested=1#request")


@login_required
@require_POST
def redeem(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RedeemForm(request.POST)
    if limited("code_redeem", [f"ip:{client_ip(request)}", f"user:{user.pk}"], REDEEM_RATES):
        form.add_error(None, "Too many tries. Wait a few minutes, then try again.")
        return _subscribe_page(request, form, status=429)
    if not form.is_valid():
        return _subscribe_page(request, form, status=400)
    try:
        redemption = services.code_redeem(user=user, code=form.cleaned_data["code"])
    except services.BillingError as e:
        form.add_error("code", e.message)
        return _subscribe_page(request, form, status=400)
    messages.success(
        request,
        f"Code redeemed: the whole library is yours until {redemption.grant.ends_at:%-d %B %Y}.",
    )
    return redirect("library:index")


@login_required
@require_POST
def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    plan = get_object_or_404(Plan, slug=slug, is_active=True)
    success = request.build_absolute_uri(reverse("billing:success"))
    try:
        url = services.checkout_start(
            user=user,
            plan=plan,
            success_url=success + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=request.build_absolute_uri(reverse("billing:subscribe")),
        )
    except services.BillingError as e:
        messages.error(request, e.message)
        return redirect("billing:subscribe")
    return HttpResponse(status=303, headers={"Location": url})


@login_required
@require_GET
@never_cache
def success(request: HttpRequest) -> HttpResponse:
    """Back from Checkout: "activating…" until the webhook has given access."""
    template = "billing/success.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#activation"
    return render(request, template, {"active": has_library_access(_user(request))})


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = services.portal_url(
            user=_user(request), return_url=request.build_absolute_uri(reverse("me:index"))
        )
    except services.BillingError as e:
        messages.error(request, e.message)
        return redirect("me:index")
    return HttpResponse(status=303, headers={"Location": url})


@csrf_exempt  # Stripe signs the body instead
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify, store once, answer at once; the work happens in a task.

    1. A bad signature or a timestamp outside the tolerance gets 400.
    2. The event id is unique: a replay is stored once and acted on once.
    3. Types we don't handle are stored as ignored and get 200.
    """
    if not settings.STRIPE_WEBHOOK_SECRET:
        return HttpResponse("Webhooks are not configured.", status=400, content_type="text/plain")
    try:
        event = stripe.Webhook.construct_event(
            request.body.decode(),
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
        )
    except (ValueError, stripe.SignatureVerificationError) as e:
        log.info("Refused a Stripe webhook: %s", e)
        return HttpResponse("Bad signature.", status=400, content_type="text/plain")
    stored = services.stripe_event_receive(event=event.to_dict())
    if stored is not None and stored.state == stored.State.PENDING:
        transaction.on_commit(lambda: process_stripe_event.enqueue(stored.pk))
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only staff can see the billing dashboard.")
    context = {
        "figures": figures.summary(),
        "chart_width": figures.CHART_WIDTH,
        "chart_height": figures.CHART_HEIGHT,
        "log": AuditEntry.objects.for_namespace("billing").select_related("actor")[:50],
    }
    return render(request, "billing/dashboard.html", context)
