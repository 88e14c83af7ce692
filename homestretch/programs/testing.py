"""Tiny factories for programs tests: a program with its days, an enrollment (with its
passed self-check and baseline), outcome checks and a run of practice logs.

They write rows directly, skipping the services' rules (a start date a year ago, say), so a
test can set up any history; tests of the rules themselves call the services.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.library.models import Sequence as LibrarySequence
from homestretch.programs.models import (
    DayItem,
    Enrollment,
    OutcomeCheck,
    PracticeLog,
    Program,
    ProgramDay,
    SelfCheck,
)
from homestretch.programs.services import local_today, user_zone

Psfs = Sequence[tuple[str, int]]


def make_practice_sequence(slug: str = "si-joint-basics") -> LibrarySequence:
    """A published sequence to practise and log (made once per slug)."""
    sequence, _ = LibrarySequence.objects.get_or_create(
        slug=slug,
        defaults={
            "title": slug.replace("-", " ").capitalize(),
            "status": LibrarySequence.Status.PUBLISHED,
            "publish_at": timezone.now() - timedelta(days=1),
            "duration_seconds": 600,
        },
    )
    return sequence


def make_program(
    slug: str = "si-joint-4-weeks",
    *,
    days: int = 28,
    checkpoints: Iterable[int] = (14, 28),
    sequence: LibrarySequence | None = None,
    **fields: object,
) -> Program:
    """A published program of `days` days; with a `sequence`, each day has it as its item."""
    defaults: dict[str, object] = {
        "title": "SI joint stability, 4 weeks",
        "condition": "SI joint",
        "summary": "Four weeks of short daily practice for the sacroiliac joint.",
        "safety_note": "Self-care, not a diagnosis. Stop and see a clinician if pain grows.",
        "recommended_badge": "NS",
        "is_published": True,
    }
    defaults.update(fields)
    program = Program.objects.create(slug=slug, **defaults)
    checkpoint_days = set(checkpoints)
    program_days = ProgramDay.objects.bulk_create(
        ProgramDay(
            program=program,
            number=number,
            title=f"Day {number}",
            is_checkpoint=number in checkpoint_days,
        )
        for number in range(1, days + 1)
    )
    if sequence is not None:
        DayItem.objects.bulk_create(
            DayItem(day=day, kind=DayItem.Kind.SEQUENCE, sequence=sequence) for day in program_days
        )
    return program


def make_enrollment(
    user: User,
    program: Program | None = None,
    *,
    start_date: date | None = None,
    status: Enrollment.Status = Enrollment.Status.ACTIVE,
    baseline: tuple[int, int, Psfs] | None = (6, 6, (("Climbing stairs", 4),)),
) -> Enrollment:
    """`user` in `program` (a new default one if none) from `start_date` (today in the
    member's zone), after a passed self-check; with a day-0 outcome check unless
    `baseline` (pain now, pain last week, PSFS) is None."""
    program = program or make_program()
    self_check = SelfCheck.objects.create(user=user, program=program)
    enrollment = Enrollment.objects.create(
        user=user,
        program=program,
        condition=program.condition,
        self_check=self_check,
        start_date=start_date or local_today(user),
        status=status,
    )
    if baseline is not None:
        make_outcome(enrollment, 0, *baseline)
    return enrollment


def make_outcome(
    enrollment: Enrollment, day: int, pain_now: int, pain_week: int, psfs: Psfs = ()
) -> OutcomeCheck:
    return OutcomeCheck.objects.create(
        user=enrollment.user,
        enrollment=enrollment,
        day=day,
        pain_now=pain_now,
        pain_week=pain_week,
        psfs=[{"activity": activity, "score": score} for activity, score in psfs],
    )


def make_logs(
    user: User,
    pains: Iterable[tuple[int | None, int | None] | None],
    *,
    end: date | None = None,
    sequence: LibrarySequence | None = None,
    enrollment: Enrollment | None = None,
    done: bool = True,
    at: time = time(18, 0),
) -> list[PracticeLog]:
    """One log a day of (pain before, pain after), oldest first, the last on `end` (the
    member's today by default), each at local time `at`. A None in `pains` is a day
    without a log. Logs of the enrollment get its program day number."""
    pains = list(pains)
    end = end or local_today(user)
    sequence = sequence or make_practice_sequence()
    zone = user_zone(user)
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
                logged_at=datetime.combine(day, at, tzinfo=zone),
                local_date=day,
                done=done,
                pain_before=pair[0],
                pain_after=pair[1],
            )
        )
    return PracticeLog.objects.bulk_create(logs)
