"""Figures for the staff dashboard, and the weekly chart drawn as an inline SVG."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from homestretch.billing.models import Redemption, Subscription

WEEKS = 12
CHART_WIDTH = 600
CHART_HEIGHT = 200


@dataclass(frozen=True)
class Week:
    ends: datetime
    subscribers: int
    trials: int
    redemptions: int


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    label: str
    value: int


def _counts_at(
    rows: list[tuple[datetime, datetime | None, datetime | None]], when: datetime
) -> tuple[int, int]:
    """Paying subscribers and trials at a moment, from (started, trial_end, ended) rows."""
    subscribers = trials = 0
    for started, trial_end, ended in rows:
        if started > when or (ended is not None and ended <= when):
            continue
        if trial_end is not None and trial_end > when:
            trials += 1
        else:
            subscribers += 1
    return subscribers, trials


def summary(now: datetime | None = None) -> dict[str, object]:
    now = now or timezone.now()
    month_ago = now - timedelta(days=30)
    subscriptions = Subscription.objects.all()
    active = subscriptions.filter(status=Subscription.Status.ACTIVE).count()
    trialing = subscriptions.filter(status=Subscription.Status.TRIALING).count()
    trials_done = subscriptions.filter(trial_end__lte=now)
    finished_trials = trials_done.count()
    converted = trials_done.filter(first_paid_at__isnull=False).count()
    ended = subscriptions.filter(ended_at__gt=month_ago, ended_at__lte=now).count()
    at_start = subscriptions.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=month_ago), started_at__lte=month_ago
    ).count()
    rows = list(subscriptions.values_list("started_at", "trial_end", "ended_at"))
    redemption_times = list(
        Redemption.objects.filter(created_at__gt=now - timedelta(weeks=WEEKS)).values_list(
            "created_at", flat=True
        )
    )
    weeks = []
    for back in range(WEEKS - 1, -1, -1):
        ends = now - timedelta(weeks=back)
        subscribers, trials = _counts_at(rows, ends)
        redeemed = sum(1 for t in redemption_times if ends - timedelta(weeks=1) < t <= ends)
        weeks.append(Week(ends=ends, subscribers=subscribers, trials=trials, redemptions=redeemed))
    return {
        "active": active,
        "trialing": trialing,
        "conversion": round(100 * converted / finished_trials) if finished_trials else None,
        "finished_trials": finished_trials,
        "converted": converted,
        "churned": ended,
        "churn": round(100 * ended / at_start) if at_start else None,
        "redemptions": Redemption.objects.filter(created_at__gt=month_ago).count(),
        "weeks": weeks,
        "bars": bars(weeks),
    }


def bars(weeks: list[Week]) -> list[Bar]:
    """One bar per week for subscribers plus trials, scaled to the chart's height."""
    top = max([w.subscribers + w.trials for w in weeks] + [1])
    step = CHART_WIDTH // len(weeks)
    result = []
    for i, week in enumerate(weeks):
        value = week.subscribers + week.trials
        height = round((CHART_HEIGHT - 20) * value / top)
        result.append(
            Bar(
                x=i * step + 4,
                y=CHART_HEIGHT - 20 - height,
                height=height,
                label=f"{week.ends:%d %b}",
                value=value,
            )
        )
    return result
