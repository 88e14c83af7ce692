"""/studio/clients/: an instructor's clients, their homework, and invitations.

Every view needs a signed-in instructor (others get 403). A client is reached through an
active consent of this instructor (`_consent_or_404`): another instructor's client, a
revoked consent or a made-up id all answer 404, on the very next request after a change.
What a page shows of a client follows the consent's flags.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.billing.access import has_library_access
from homestretch.finder.models import Instructor
from homestretch.homework import services
from homestretch.homework.access import plays_as_homework
from homestretch.homework.adherence import SPARK_DAYS, WINDOW_DAYS, Alert, Sparkline, Tally
from homestretch.homework.dashboard import ClientRow, client_fortnight, client_rows
from homestretch.homework.models import AlertDigest, Assignment, Consent, ConsentEvent, Invitation
from homestretch.lib.dates import MONTHS_SHORT
from homestretch.lib.http import client_ip, private_page
from homestretch.lib.ratelimit import Rate, limited
from homestretch.library.access import play_rules
from homestretch.programs.models import Enrollment, OutcomeCheck, PracticeLog, SelfCheck
from homestretch.studio.forms import AssignmentForm, DigestForm, InviteForm
from homestretch.studio.views import instructor_required

INVITE_RATES = [Rate.parse(rate) for rate in settings.HOMEWORK_INVITE_RATES]
# The same address can be invited this often, whoever asks: an inbox is not a target.
INVITE_EMAIL_RATES = [Rate.parse("3/d")]
CLIENT_LOG_DAYS = 90


def _consent_or_404(instructor: Instructor, pk: int) -> Consent:
    return get_object_or_404(
        Consent.objects.active().select_related("client"), pk=pk, instructor=instructor
    )


def _sharing_ended(request: HttpRequest, instructor: Instructor, pk: int) -> HttpResponse | None:
    """An old link to a client who stopped sharing with this instructor: a page that says
    so (410, and nothing of their data). Another instructor's client or a made-up id gets
    nothing here, and then the plain 404."""
    if Consent.objects.active().filter(pk=pk, instructor=instructor).exists():
        return None
    ended = (
        Consent.objects.filter(pk=pk, instructor=instructor, revoked_at__isnull=False)
        .select_related("client")
        .first()
    )
    if ended is None:
        return None
    # The client may have shared again since, under a new consent: point there.
    current = (
        Consent.objects.active().filter(instructor=instructor, client_id=ended.client_id).first()
    )
    context = {"instructor": instructor, "consent": ended, "current": current}
    return render(request, "studio/sharing_ended.html", context, status=410)


NOT_ENOUGH_LOGS = '<span class="help">Not enough logs</span>'
ALERT_BADGES = {Alert.HIGH_PAIN: "Pain ≥ 7", Alert.NOT_PRACTISING: "No practice 7 days"}


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _trend(spark: Sparkline | None) -> str:
    """The pain sparkline as inline SVG (no script), with its numbers as its name."""
    if spark is None:
        return NOT_ENOUGH_LOGS
    first, last = _number(spark.first), _number(spark.last)
    return (
        f'<svg class="sparkline" viewBox="0 0 100 24" width="100" height="24" role="img" '
        f'aria-label="Pain over the last {SPARK_DAYS} days: from {first} to {last} (0 to 10), '
        f'{spark.count} days logged"><polyline points="{spark.points}" fill="none" '
        f'stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg> '
        f'<span class="help">{first} → {last}</span>'
    )


def homework_text(adherence: Tally | None) -> str:
    """Homework adherence in words that say what is counted: sessions of the assigned
    sequences, never program practice (shown beside it as days practised)."""
    if adherence is None or adherence.percent is None:
        return "No homework due"
    done, scheduled = adherence.done_sevenths / 7, adherence.scheduled_sevenths / 7
    return f"{adherence.percent}% ({_number(done)} of {_number(scheduled)} homework sessions)"


def _measured_cells(row: ClientRow) -> str:
    """Adherence, last practice, pain trend and alerts: numbers, dates and fixed words."""
    adherence_text = homework_text(row.adherence)
    last = row.last_practice
    when = (
        f'<time datetime="{last.isoformat()}">{last.day} {MONTHS_SHORT[last.month - 1]} '
        f"{last.year}</time>"
        if last
        else "Never"
    )
    badges = " ".join(
        f'<span class="badge badge-warn">{ALERT_BADGES[a]}</span>' for a in row.alerts
    )
    return (
        f"<td>{adherence_text}</td><td>{row.practised_days} of {WINDOW_DAYS} days</td>"
        f"<td>{when}</td><td>{_trend(row.spark)}</td>"
        f"<td>{badges or '—'}</td>"
    )


def _rows_html(rows: list[ClientRow], base: str) -> SafeString:
    """The dashboard's table rows, built here rather than in the template: 200 rows through
    the template's tags were a third of the page. The client's name is the one value not
    ours, and it is escaped; the rest are numbers, dates and fixed words."""
    html = []
    for row in rows:
        client = row.client
        cells = (
            _measured_cells(row)
            if client.share_logs
            else '<td colspan="5" class="help">Practice logs not shared</td>'
        )
        html.append(
            f'<tr><th scope="row"><a href="{base}{client.consent_id}/">{escape(client.name)}</a>'
            f"</th><td>{', '.join(client.shared_labels()) or 'nothing'}</td>{cells}</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 - the name is escaped, see above


def _dashboard_context(instructor: Instructor) -> dict[str, object]:
    base = reverse("studio:clients")
    try:
        digest: AlertDigest | None = instructor.alert_digest  # read with the instructor
    except AlertDigest.DoesNotExist:
        digest = None
    return {
        "instructor": instructor,
        "rows": _rows_html(client_rows(instructor), base),
        "window_days": WINDOW_DAYS,
        "spark_days": SPARK_DAYS,
        "invitations": Invitation.objects.pending().filter(instructor=instructor),
        "digest_form": DigestForm(initial={"is_enabled": bool(digest and digest.is_enabled)}),
        "invite_form": InviteForm(),
    }


@require_GET
@private_page
@instructor_required
def dashboard(request: HttpRequest, instructor: Instructor) -> HttpResponse:
    return render(request, "studio/clients.html", _dashboard_context(instructor))


@require_GET
@private_page
@instructor_required
def history(request: HttpRequest, instructor: Instructor) -> HttpResponse:
    """Every grant, change and revocation by this instructor's clients, newest first."""
    events = (
        ConsentEvent.objects.filter(consent__instructor=instructor)
        .select_related("consent__client")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "studio/history.html", {"instructor": instructor, "page": page})


@require_POST
@instructor_required
def invite(request: HttpRequest, instructor: Instructor) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        identities = [f"user:{request.user.pk}", "ip:" + client_ip(request)]
        if limited("homework-invite", identities, INVITE_RATES) or limited(
            "homework-invite-email", [f"email:{email}"], INVITE_EMAIL_RATES
        ):
            return render(request, "homework/rate_limited.html", status=429)
        try:
            services.invitation_send(instructor=instructor, email=email)
        except services.HomeworkError as e:
            form.add_error("email", e.message)
        else:
            messages.success(request, f"Invitation sent to {email}. It is valid for 14 days.")
            return redirect("studio:clients")
    context = {**_dashboard_context(instructor), "invite_form": form}
    return render(request, "studio/clients.html", context, status=400)


@require_POST
@instructor_required
def invitation_cancel(request: HttpRequest, instructor: Instructor, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk, instructor=instructor)
    services.invitation_cancel(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("studio:clients")


@require_POST
@instructor_required
def digest(request: HttpRequest, instructor: Instructor) -> HttpResponse:
    form = DigestForm(request.POST)
    form.is_valid()
    enabled = bool(form.cleaned_data.get("is_enabled"))
    AlertDigest.objects.update_or_create(instructor=instructor, defaults={"is_enabled": enabled})
    messages.success(
        request, "You will get a daily digest of alerts." if enabled else "Alert digest is off."
    )
    return redirect("studio:clients")


@require_GET
@private_page
@instructor_required
def client(request: HttpRequest, instructor: Instructor, pk: int) -> HttpResponse:
    """One client over time, as far as they share: logs, checks, program progress."""
    if ended := _sharing_ended(request, instructor, pk):
        return ended
    consent = _consent_or_404(instructor, pk)
    user = consent.client
    today = user.local_today()
    context: dict[str, object] = {
        "instructor": instructor,
        "consent": consent,
        "client": user,
        "assignments": Assignment.objects.filter(consent=consent)
        .select_related("custom_version")
        .prefetch_related("sequences"),
        "events": consent.events.all(),
        "can_assign": services.has_valid_credential(instructor),
        "log_days": CLIENT_LOG_DAYS,
        "today": today,
    }
    if consent.share_logs:
        fortnight = client_fortnight(user)
        context["homework_adherence"] = homework_text(fortnight.homework)
        context["practised_days"] = fortnight.practised_days
        context["window_days"] = WINDOW_DAYS
        context["logs"] = PracticeLog.objects.filter(
            user=user, local_date__gt=today - timedelta(days=CLIENT_LOG_DAYS)
        ).select_related("sequence", "custom_version")
    if consent.share_checks:
        context["outcomes"] = OutcomeCheck.objects.filter(user=user).select_related(
            "enrollment__program"
        )
        # A clinician statement after a red flag is part of the self-check it answers.
        context["self_checks"] = SelfCheck.objects.filter(user=user).select_related(
            "program", "clearance"
        )
    if consent.share_progress:
        context["enrollments"] = Enrollment.objects.filter(user=user).select_related("program")
    return render(request, "studio/client.html", context)


@require_http_methods(["GET", "POST"])
@private_page
@instructor_required
def assign(request: HttpRequest, instructor: Instructor, pk: int) -> HttpResponse:
    if ended := _sharing_ended(request, instructor, pk):
        return ended
    consent = _consent_or_404(instructor, pk)
    can_assign = services.has_valid_credential(instructor)
    today = consent.client.local_today()
    client_access = has_library_access(consent.client)
    homework_plays = plays_as_homework in play_rules()
    form = AssignmentForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": today + timedelta(days=27)},
        client_access=client_access,
        homework_plays=homework_plays,
        owner=instructor.user,
    )
    if request.method == "POST" and not can_assign:
        raise PermissionDenied("Assigning homework needs a valid credential.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        custom = data["custom_sequence"]
        try:
            services.assignment_create(
                consent=consent,
                sequences=list(data["sequences"]),
                custom_version=custom.latest_version() if custom else None,
                schedule=services.Schedule(
                    weekdays=frozenset(data["weekdays"]), times_per_week=data["times_per_week"]
                ),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
            )
        except services.HomeworkError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "Homework assigned.")
            return redirect("studio:client", pk=consent.pk)
    context = {
        "instructor": instructor,
        "consent": consent,
        "form": form,
        "can_assign": can_assign,
        "client_access": client_access,
        "homework_plays": homework_plays,
    }
    status = 400 if form.errors else 200
    return render(request, "studio/assign.html", context, status=status)


@require_POST
@instructor_required
def assignment_end(
    request: HttpRequest, instructor: Instructor, pk: int, assignment_pk: int
) -> HttpResponse:
    if ended := _sharing_ended(request, instructor, pk):
        return ended
    consent = _consent_or_404(instructor, pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, consent=consent)
    services.assignment_end(assignment=assignment)
    messages.success(request, "That homework has ended.")
    return redirect("studio:client", pk=consent.pk)
