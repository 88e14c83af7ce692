"""Tiny factories for programs tests: a published program with sequences on its days, an
enrollment straight past a clean self-check, practice logs on chosen days (or a run of
them), and outcome checks. The only place these are made: other apps' tests use them."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.library.models import Sequence
from homestretch.library.testing import sequence_named
from homestretch.programs import services
from homestretch.programs.models import (
    DayItem,
    Enrollment,
    OutcomeCheck,
    PracticeLog,
    Program,
    ProgramDay,
)
from homestretch.programs.safety import active_red_flags


def make_program(
    slug: str = "si-stability",
    *,
    days: int = 28,
    checkpoints: tuple[int, ...] = (14, 28),
    unlock: str = Program.Unlock.CALENDAR,
    condition: str = "SI joint",
    sequences: list[Sequence] | None = None,
    day_title: str = "Day {n} practice",
) -> Program:
    """A published program; each day (titled `day_title`) practises one of `sequences`
    (made if not given)."""
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
            title=day_title.format(n=number),
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
    status: Enrollment.Status | None = None,
) -> Enrollment:
    """Enroll through the services, as a member who answered every red flag "no", then
    move the start date (the service accepts only dates near today) and set the status."""
    self_check = services.selfcheck_record(
        user=user, program=program, answers=clean_answers(), pain_areas=[]
    )
    enrollment = services.program_enroll(
        user=user,
        program=program,
        self_check=self_check,
        start_date=user.local_today(),
        baseline=services.Measures(pain_now=pain, pain_week=pain, psfs=psfs),
    )
    if start_date is not None:
        enrollment.start_date = start_date
    if status is not None:
        enrollment.status = status
    enrollment.save(update_fields=["start_date", "status"])
    return enrollment


def make_log(
    user: User,
    sequence: Sequence | None = None,
    on: date | None = None,
    *,
    before: int | None = 6,
    after: int | None = 4,
    done: bool = True,
    note: str = "",
    enrollment: Enrollment | None = None,
    day: int | None = None,
) -> PracticeLog:
    """A log made at 18:00 local time on `on` (the member's today by default), of
    `sequence` ("pelvic-clock" by default); written directly, as the services log today only."""
    on = on or user.local_today()
    at = datetime.combine(on, time(18, 0), tzinfo=user.zone)
    return PracticeLog.objects.create(
        user=user,
        sequence=sequence or sequence_named("pelvic-clock"),
        note=note,
        enrollment=enrollment,
        program_day=day,
        logged_at=at,
        local_date=on,
        done=done,
        pain_before=before,
        pain_after=after,
    )


def make_outcome(
    enrollment: Enrollment,
    day: int,
    pain_now: int,
    pain_week: int,
    psfs: tuple[tuple[str, int], ...] = (),
) -> OutcomeCheck:
    """An outcome check of `day` (written directly: the service takes checkpoint days only)."""
    return OutcomeCheck.objects.create(
        user=enrollment.user,
        enrollment=enrollment,
        day=day,
        pain_now=pain_now,
        pain_week=pain_week,
        psfs=[{"activity": activity, "score": score} for activity, score in psfs],
    )


def make_practice_sequence(slug: str = "si-joint-basics") -> Sequence:
    """A published sequence to practise and log (made once per slug)."""
    sequence, _ = Sequence.objects.get_or_create(
        slug=slug,
        defaults={
            "title": slug.replace("-", " ").capitalize(),
            "status": Sequence.Status.PUBLISHED,
            "publish_at": timezone.now() - timedelta(days=1),
            "duration_seconds": 300,
        },
    )
    return sequence


def make_logs(
    user: User,
    pains: Iterable[tuple[int | None, int | None] | None],
    *,
    end: date | None = None,
    sequence: Sequence | None = None,
    enrollment: Enrollment | None = None,
    done: bool = True,
) -> list[PracticeLog]:
    """A run of daily logs in one insert: (pain before, pain after) a day, oldest first, the
    last on `end` (the member's today by default), each at 18:00 local time. A None in
    `pains` is a day without a log. Logs of the enrollment get its program day number."""
    pains = list(pains)
    end = end or user.local_today()
    sequence = sequence or make_practice_sequence()
    zone = user.zone
    logs = []
    for offset, pair in enumerate(reversed(pains)):
        if pair is None:
            continue
        day = end - timedelta(days=offset)
        program_day = None
        if enrollment is not None and day >= enrollment.start_date:
            program_day = (day - enrollment.start_date).days + 1
        logs.append(
            PracticeLog(
                user=user,
                sequence=sequence,
                enrollment=enrollment,
                program_day=program_day,
                logged_at=datetime.combine(day, time(18, 0), tzinfo=zone),
                local_date=day,
                done=done,
                pain_before=pair[0],
                pain_after=pair[1],
            )
        )
    return PracticeLog.objects.bulk_create(logs)
