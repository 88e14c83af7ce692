"""Program pages: the outline, the safety self-check that starts (or restarts) a program,
the stop page, the days, and pausing, resuming or leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.billing.access import has_library_access
from homestretch.lib.http import private_page
from homestretch.lib.markdown import render_comment
from homestretch.programs import services
from homestretch.programs.forms import (
    ClearanceForm,
    LogForm,
    MeasuresForm,
    RedFlagForm,
    StartForm,
)
from homestretch.programs.models import (
    ClinicianClearance,
    DayItem,
    Enrollment,
    PracticeLog,
    Program,
    SelfCheck,
)
from homestretch.programs.progress import SAFETY_MESSAGE
from homestretch.programs.reports import needs_safety_reminder
from homestretch.programs.safety import (
    URGENT_ADVICE,
    active_red_flags,
    fit_message,
    stop_message,
)
from homestretch.programs.state import enrollment_state


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required has run
    return request.user


def _get_program(slug: str) -> Program:
    return get_object_or_404(Program.objects.published(), slug=slug)


def _current_enrollment(user: User, program: Program) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.current()
        .filter(user=user, program=program)
        .select_related("program", "user")
        .first()
    )


def _get_enrollment(request: HttpRequest, program: Program) -> Enrollment:
    """The member's current enrollment in this program, or 404."""
    enrollment = _current_enrollment(_user(request), program)
    if enrollment is None:
        raise Http404("You are not following this program.")
    return enrollment


def _items() -> Prefetch:
    return Prefetch(
        "items", queryset=DayItem.objects.select_related("sequence__encoding", "article")
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.published().prefetch_related("days")
    return render(request, "programs/index.html", {"programs": programs})


@require_GET
@private_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = _get_program(slug)
    enrollment = _current_enrollment(request.user, program)  # type: ignore[arg-type]
    state = enrollment_state(enrollment) if enrollment else None
    states = {s.day.number: s for s in state.days} if state else {}
    days = program.days.prefetch_related(_items())
    context = {
        "program": program,
        "rows": [(day, states.get(day.number)) for day in days],
        "state": state,
        "has_access": has_library_access(request.user),
        "stop": services.standing_stop(request.user, program.condition)
        if isinstance(request.user, User)
        else None,
        "clearances": ClinicianClearance.objects.filter(
            user=request.user, condition=program.condition
        )
        if isinstance(request.user, User)
        else [],
        "high_pain_message": SAFETY_MESSAGE
        if enrollment and needs_safety_reminder(enrollment.user)
        else "",
    }
    return render(request, "programs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def start(request: HttpRequest, slug: str, restart: bool = False) -> HttpResponse:
    """The safety self-check, then enrollment.

    1. Without library access there is nothing to start: back to the outline's paywall.
    2. Red flags are read first. Any "yes" is stored and stops here, whatever else the
       form holds; `program_enroll` refuses such a self-check too, so a crafted request
       cannot get past.
    3. With every answer "no" and valid measures, the self-check is stored and the member
       enrolled (a restart ends their current run of this program).
    4. While an earlier red flag for the condition stands (`services.standing_stop`), the
       page is the stop again, urgent advice first, with the clinician statement; the
       service refuses a new self-check anyway.
    """
    program = _get_program(slug)
    user = _user(request)
    if not has_library_access(user):
        messages.info(request, "Programs are part of the full library: subscribe to start.")
        return redirect(program)
    current = _current_enrollment(user, program)
    if current and not restart:
        return redirect(program)
    if restart and not current:
        return redirect("programs:start", slug=program.slug)
    stop = services.standing_stop(user, program.condition)
    if stop is not None:
        return _stop_stands(request, program, stop, status=403 if request.method == "POST" else 200)
    flags = active_red_flags()
    data = request.POST if request.method == "POST" else None
    flag_form = RedFlagForm(data, flags=flags)
    start_form = StartForm(data, today=user.local_today())
    if request.method == "POST" and flag_form.is_valid():
        answers = flag_form.answers()
        start_valid = start_form.is_valid()
        purpose = SelfCheck.Purpose.RESTART if restart else SelfCheck.Purpose.START
        if any(answers.values()) or start_valid:
            try:
                self_check = services.selfcheck_record(
                    user=user,
                    program=program,
                    answers=answers,
                    pain_areas=start_form.cleaned_data.get("pain_areas", []),
                    purpose=purpose,
                )
            except services.StopStands as e:  # a stop recorded by another request meanwhile
                return _stop_stands(request, program, e.stop, status=403)
            if self_check.has_red_flag:
                context = {
                    "program": program,
                    "self_check": self_check,
                    "message": stop_message(self_check),
                    "urgent_advice": URGENT_ADVICE,
                    "paused": restart,
                }
                return render(request, "programs/stop.html", context)
            try:
                services.program_enroll(
                    user=user,
                    program=program,
                    self_check=self_check,
                    start_date=start_form.cleaned_data["start_date"],
                    baseline=start_form.measures(),
                )
            except services.ProgramError as e:
                start_form.add_error(None, e.message)
            else:
                messages.success(request, fit_message(self_check.pain_areas))
                return redirect(program)
    context = {
        "program": program,
        "flag_form": flag_form,
        "form": start_form,
        "restart": restart,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/start.html", context, status=status)


def _stop_stands(
    request: HttpRequest,
    program: Program,
    stop: SelfCheck,
    *,
    form: ClearanceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "program": program,
        "stop": stop,
        "urgent_advice": URGENT_ADVICE,
        "form": form or ClearanceForm(),
    }
    return render(request, "programs/stop_stands.html", context, status=status)


@login_required
@require_POST
@private_page
def clearance(request: HttpRequest, slug: str) -> HttpResponse:
    """The member states that a clinician has seen them since the standing red flag."""
    program = _get_program(slug)
    user = _user(request)
    stop = services.standing_stop(user, program.condition)
    if stop is None:
        return redirect("programs:start", slug=program.slug)
    form = ClearanceForm(request.POST)
    if form.is_valid():
        try:
            services.clearance_record(
                user=user,
                stop=stop,
                seen_on=form.cleaned_data["seen_on"],
                confirmed=form.cleaned_data["confirmed"],
            )
        except services.ProgramError as e:
            form.add_error(None, e.message)
        else:
            messages.success(
                request,
                f"Thank you. You told us a clinician saw you on "
                f"{form.cleaned_data['seen_on']:%-d %B %Y}. Answer the self-check again to start.",
            )
            return redirect("programs:start", slug=program.slug)
    return _stop_stands(request, program, stop, form=form, status=400)


@login_required
@require_GET
@private_page
def day(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    program = _get_program(slug)
    enrollment = _get_enrollment(request, program)
    state = enrollment_state(enrollment)
    day_state = next((s for s in state.days if s.day.number == number), None)
    if day_state is None:
        raise Http404("This program has no such day.")
    if not day_state.is_open:
        messages.info(request, f"Day {number} opens later. Here is where you are now.")
        return redirect(program)
    items = list(day_state.day.items.select_related("sequence__encoding", "article"))
    today = enrollment.user.local_today()
    logs = {
        log.sequence_id: log
        for log in PracticeLog.objects.filter(
            user=enrollment.user, local_date=today, sequence__isnull=False
        )
        if log.sequence_id is not None
    }
    context = {
        "program": program,
        "enrollment": enrollment,
        "state": state,
        "day": day_state,
        "items": [_day_item(item, logs) for item in items],
        "has_access": has_library_access(enrollment.user),
    }
    return render(request, "programs/day.html", context)


def _day_item(item: DayItem, logs: dict[int, PracticeLog]) -> dict[str, object]:
    log = logs.get(item.sequence_id) if item.sequence_id is not None else None
    return {
        "item": item,
        "lesson_html": render_comment(item.lesson_body) if item.lesson_body else "",
        "log": log,
        # Each item's form gets its own ids: a day may hold several sequences.
        "form": LogForm(initial=LogForm.initial_for(log), auto_id=f"id_item{item.pk}_%s"),
    }


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def checkpoint(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The outcome check of a checkpoint day: pain and the member's own activities again."""
    program = _get_program(slug)
    enrollment = _get_enrollment(request, program)
    state = enrollment_state(enrollment)
    day_state = next(
        (s for s in state.days if s.day.number == number and s.day.is_checkpoint), None
    )
    if day_state is None or not day_state.is_open:
        raise Http404("There is no outcome check open on that day.")
    baseline = enrollment.outcomes.filter(day=0).first()
    initial: dict[str, object] = {}
    if baseline:
        for index, item in enumerate(baseline.psfs, start=1):
            initial[f"activity_{index}"] = item["activity"]
    form = MeasuresForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(enrollment=enrollment, day=number, measures=form.measures())
        except services.ProgramError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"Your day {number} check is saved. Here is how it compares.")
            return redirect("practice:progress")
    context = {"program": program, "day": day_state, "form": form}
    return render(request, "programs/checkpoint.html", context, status=400 if form.errors else 200)


def _enrollment_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    program = _get_program(slug)
    enrollment = _get_enrollment(request, program)
    act = {
        "pause": (services.enrollment_pause, "Paused. Nothing moves on until you resume."),
        "resume": (services.enrollment_resume, "Welcome back: the program carries on."),
        "leave": (services.enrollment_leave, "You have left the program. Your logs are kept."),
    }[action]
    try:
        act[0](enrollment=enrollment)
    except services.ProgramError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, act[1])
    return redirect(program)


@login_required
@require_POST
def pause(request: HttpRequest, slug: str) -> HttpResponse:
    return _enrollment_action(request, slug, "pause")


@login_required
@require_POST
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    return _enrollment_action(request, slug, "resume")


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    return _enrollment_action(request, slug, "leave")
