from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

# Stripe renews a subscription at the end of its period and tells us a moment later. This
# much slack keeps a renewing member watching while that webhook is on its way; it never
# applies to a subscription set to cancel, which ends exactly at the period end.
RENEWAL_LEEWAY = timedelta(days=1)


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


class Plan(models.Model):
    class Interval(models.TextChoices):
        MONTH = "month", "Monthly"
        YEAR = "year", "Yearly"

    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True, help_text="What you get, shown on /subscribe/.")
    interval = models.CharField(max_length=5, choices=Interval.choices)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217, e.g. EUR.")
    trial_days = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    stripe_price_id = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "price"]

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """The Stripe customer for one person, made once and reused for every checkout."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_customer"
    )
    stripe_customer_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_customer_id"],
                condition=~models.Q(stripe_customer_id=""),
                name="billing_customer_stripe_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.stripe_customer_id or 'no Stripe customer'})"


def email_fingerprint(email: str) -> str:
    """A keyed hash of an email address as a person, not a spelling: lower case, without a
    "+tag", and without the dots Gmail ignores. Keyed with SECRET_KEY, so the table alone
    does not reveal addresses (rotating the key forgets past trials)."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return salted_hmac(
        "homestretch.billing.trial", f"{local}@{domain}", algorithm="sha256"
    ).hexdigest()


class TrialUse(models.Model):
    """Someone had a trial. Kept by email fingerprint, with no link to the account, so a
    second sign-up with the same address, even after deleting the first account, gets no
    second trial: "one trial per person, ever"."""

    email_fingerprint = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Trial used ({self.created_at:%Y-%m-%d})"


class CheckoutSession(models.Model):
    """A Stripe Checkout Session we opened, so a second click reuses it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    stripe_session_id = models.CharField(max_length=200, unique=True)
    url = models.URLField(max_length=1000)
    with_trial = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.stripe_session_id


class Subscription(models.Model):
    """A subscription as Stripe last told us, plus when the library access it gives ends.

    `access_until` is worked out whenever the state changes, so `has_library_access`
    compares one timestamp instead of re-deriving the rules on every video segment.
    """

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", "Waiting for the first payment"
        INCOMPLETE_EXPIRED = "incomplete_expired", "First payment never arrived"
        TRIALING = "trialing", "Trial"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Payment overdue"
        CANCELED = "canceled", "Canceled"
        UNPAID = "unpaid", "Unpaid"
        PAUSED = "paused", "Paused"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, related_name="+")
    stripe_subscription_id = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    started_at = models.DateTimeField(default=timezone.now)
    trial_end = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(null=True, blank=True)
    first_paid_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    access_until = models.DateTimeField(null=True, blank=True, db_index=True)
    # `created` of the newest Stripe event applied: an older event never overwrites it.
    stripe_event_created = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~models.Q(stripe_subscription_id=""),
                name="billing_subscription_stripe_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status}"

    def compute_access_until(self) -> datetime | None:
        """When the access this state gives ends (None: no access)."""
        if self.status == self.Status.TRIALING:
            return self.trial_end or self.current_period_end
        if self.status == self.Status.ACTIVE:
            if self.current_period_end is None:
                return None
            if self.cancel_at_period_end:
                return self.current_period_end
            return self.current_period_end + RENEWAL_LEEWAY
        if self.status == self.Status.PAST_DUE and self.past_due_since is not None:
            return self.past_due_since + timedelta(days=settings.BILLING_GRACE_DAYS)
        return None

    @property
    def renews_or_ends_at(self) -> datetime | None:
        if self.status in (self.Status.CANCELED, self.Status.UNPAID):
            return self.ended_at
        return self.current_period_end

    @property
    def will_renew(self) -> bool:
        return self.status in (self.Status.TRIALING, self.Status.ACTIVE) and not (
            self.cancel_at_period_end
        )


class AccessCode(models.Model):
    """A code staff hand out: each redemption gives one person `days` of access."""

    code = models.CharField(
        max_length=40, unique=True, help_text="Letters and digits; stored in capitals."
    )
    days = models.PositiveSmallIntegerField(help_text="Days of access one redemption gives.")
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0, editable=False)
    expires_at = models.DateTimeField(help_text="No redemptions after this moment.")
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def normalise(text: str) -> str:
        """What a person typed, as stored: no spaces, capitals."""
        return "".join(text.split()).upper()


class Redemption(models.Model):
    code = models.ForeignKey(AccessCode, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="redemptions"
    )
    grant = models.OneToOneField(AccessGrant, on_delete=models.CASCADE, related_name="redemption")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "user"], name="billing_redemption_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} redeemed {self.code}"


class StripeEvent(models.Model):
    """Every webhook event we accepted. The unique id makes a replay a no-op."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    created = models.PositiveBigIntegerField(help_text="Stripe's timestamp for the event.")
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class AccessRequest(models.Model):
    """Someone asked the studio for access (on /subscribe/, where card payment is not on
    offer). Staff answer in the admin with an access code they create there; the person
    is emailed the code. Anonymous requests are allowed: `user` is then empty."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered with a code"
        CLOSED = "closed", "Closed without a code"

    name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(help_text="Where the answer goes.")
    message = models.TextField(max_length=2000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    code = models.ForeignKey(
        AccessCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Access request from {self.email} ({self.created_at:%Y-%m-%d})"
