"""Tiny factories for programs tests: a published program with sequences on its days, an
enrollment straight past a clean self-check, and practice logs on chosen days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.library.models import Sequence
from homestretch.programs import services
from homestretch.programs.models import DayItem, Enrollment, PracticeLog, Program, ProgramDay
from homestretch.programs.safety import active_red_flags


def make_program(
    slug: str = "si-stability",
    *,
    days: int = 28,
    checkpoints: tuple[int, ...] = (14, 28),
    unlock: str = Program.Unlock.CALENDAR,
    condition: str = "SI joint",
    sequences: list[Sequence] | None = None,
) -> Program:
    """A published program; each day practises one of `sequences` (made if not given)."""
    program = Program.objects.create(
        title=slug.replace("-", " ").title(),
        slug=slug,
        condition=condition,
        summary="Four weeks to a steadier pelvis.",
        safety_note="Stop if the pain gets sharper, and see a clinician.",
        recommended_badge="NS",
        unlock=unlock,
        is_published=True,
    )
    if sequences is None:
        sequences = [
            Sequence.objects.create(
                title=f"{program.title} practice {n}",
                slug=f"{slug}-practice-{n}",
                status=Sequence.Status.PUBLISHED,
                publish_at=timezone.now() - timedelta(days=1),
                duration_seconds=300,
            )
            for n in (1, 2)
        ]
    for number in range(1, days + 1):
        day = ProgramDay.objects.create(
            program=program,
            number=number,
            title=f"Day {number} practice",
            is_checkpoint=number in checkpoints,
        )
        DayItem.objects.create(
            day=day, kind=DayItem.Kind.SEQUENCE, sequence=sequences[(number - 1) % len(sequences)]
        )
    return program


def clean_answers() -> dict[int, bool]:
    return {flag.pk: False for flag in active_red_flags()}


def make_enrollment(
    user: User,
    program: Program,
    *,
    start_date: date | None = None,
    pain: int = 6,
    psfs: tuple[tuple[str, int], ...] = (("Climbing stairs", 4),),
) -> Enrollment:
    """Enroll through the services, as a member who answered every red flag "no", then
    move the start date (the service accepts only dates near today)."""
    self_check = services.selfcheck_record(
        user=user, program=program, answers=clean_answers(), pain_areas=[]
    )
    enrollment = services.program_enroll(
        user=user,
        program=program,
        self_check=self_check,
        start_date=services.local_today(user),
        baseline=services.Measures(pain_now=pain, pain_week=pain, psfs=psfs),
    )
    if start_date is not None:
        enrollment.start_date = start_date
        enrollment.save(update_fields=["start_date"])
    return enrollment


def make_log(
    user: User,
    sequence: Sequence,
    on: date,
    *,
    before: int | None = 6,
    after: int | None = 4,
    done: bool = True,
    enrollment: Enrollment | None = None,
    day: int | None = None,
) -> PracticeLog:
    """A log made at 18:00 local time on `on` (written directly: the services only log today)."""
    at = datetime.combine(on, time(18, 0), tzinfo=ZoneInfo(user.timezone))
    return PracticeLog.objects.create(
        user=user,
        sequence=sequence,
        enrollment=enrollment,
        program_day=day,
        logged_at=at,
        local_date=on,
        done=done,
        pain_before=before,
        pain_after=after,
    )
