"""The demo program: four weeks of SI joint stability, and the demo member on day 9.

The member started nine days ago, practised on eight of them (one missed day), and their
pain before practice drifted from 6 to 4. Days open by logging, so the eight logged days
put them on day 9 whatever day the demo is loaded.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.articles.models import Article
from homestretch.library.models import Sequence
from homestretch.practice.models import Reminder
from homestretch.programs.models import (
    DayItem,
    Enrollment,
    OutcomeCheck,
    PracticeLog,
    Program,
    ProgramDay,
    SelfCheck,
)
from homestretch.programs.safety import active_red_flags

SAFETY_NOTE = (
    "This program is self-care practice, not treatment and not a diagnosis. Move within a "
    "range that feels safe; mild effort is fine, sharp or spreading pain is not. Stop and "
    "see a clinician if the pain gets steadily worse, spreads down a leg, or comes with "
    "numbness, weakness, fever, or changes in bladder or bowel control."
)

WEEKS = (
    ("Settle", ("morning-pelvis-reset", "breath-into-the-back-ribs")),
    ("Steady", ("si-joint-side-lying-stability", "morning-pelvis-reset")),
    ("Load", ("bridge-step-by-step", "walking-without-the-twinge")),
    ("Carry it into the day", ("standing-balance-for-the-pelvis", "walking-without-the-twinge")),
)

LESSON_BODY = """Each day has one short sequence. Practise it, then log it: did you do it,
how much did it hurt before and after (0 is no pain, 10 the worst you can imagine), and how
hard did it feel.

- **Little and often** beats long and rare: ten minutes a day is the goal.
- **Mild effort is fine.** Sharp, spreading or lasting pain is not: stop, and rest.
- On days **14 and 28** you rate your pain and your own activities again, so you can see
  what changed.
"""

# (days before today, pain before, pain after); the day 5 days ago was missed.
MEMBER_LOGS = (
    (9, 6, 5),
    (8, 6, 4),
    (7, 6, 5),
    (6, 5, 4),
    (4, 5, 3),
    (3, 5, 4),
    (2, 4, 3),
    (1, 4, 3),
)


def _build_program() -> Program:
    program = Program.objects.create(
        title="SI joint stability, 4 weeks",
        slug="si-joint-stability",
        condition="SI joint",
        summary="Four weeks of short daily practice to steady the pelvis and calm SI joint pain.",
        description=(
            "A gentle start, then stability work for the deep hip and pelvic muscles, then "
            "carrying it into walking and standing. One sequence a day, a log after each, "
            "and two check-ins on your progress."
        ),
        safety_note=SAFETY_NOTE,
        recommended_badge="NS",
        unlock=Program.Unlock.LOGGING,
        is_published=True,
    )
    sequences = {s.slug: s for s in Sequence.objects.all()}
    article = Article.objects.filter(slug="si-joint-pain-what-it-may-be").first()
    for number in range(1, 29):
        week, slugs = WEEKS[(number - 1) // 7]
        sequence = sequences.get(slugs[number % 2])
        day = ProgramDay.objects.create(
            program=program,
            number=number,
            title=f"{week}: {sequence.title}" if sequence else week,
            is_checkpoint=number in (14, 28),
        )
        if number == 1:
            DayItem.objects.create(
                day=day,
                kind=DayItem.Kind.LESSON,
                lesson_title="How this program works",
                lesson_body=LESSON_BODY,
            )
        if number == 2 and article:
            DayItem.objects.create(day=day, kind=DayItem.Kind.ARTICLE, article=article, position=1)
        if sequence:
            DayItem.objects.create(
                day=day, kind=DayItem.Kind.SEQUENCE, sequence=sequence, position=2
            )
    return program


def _enroll_member(member: User, program: Program) -> None:
    zone = member.zone
    today = timezone.now().astimezone(zone).date()
    start = today - timedelta(days=MEMBER_LOGS[0][0])
    answers = [
        {"question": flag.question, "urgent": flag.is_urgent, "answer": False}
        for flag in active_red_flags()
    ]
    self_check = SelfCheck.objects.create(
        user=member, program=program, red_flag_answers=answers, pain_areas=["one_side"]
    )
    SelfCheck.objects.filter(pk=self_check.pk).update(
        created_at=datetime.combine(start, time(8, 0), tzinfo=zone)
    )
    enrollment = Enrollment.objects.create(
        user=member,
        program=program,
        condition=program.condition,
        self_check=self_check,
        start_date=start,
    )
    baseline = OutcomeCheck.objects.create(
        user=member,
        enrollment=enrollment,
        day=0,
        pain_now=6,
        pain_week=6,
        psfs=[
            {"activity": "Getting out of the car", "score": 3},
            {"activity": "Walking for half an hour", "score": 4},
        ],
    )
    OutcomeCheck.objects.filter(pk=baseline.pk).update(
        created_at=datetime.combine(start, time(8, 5), tzinfo=zone)
    )
    days = {day.number: day for day in program.days.prefetch_related("items__sequence")}
    for number, (days_ago, before, after) in enumerate(MEMBER_LOGS, start=1):
        local = today - timedelta(days=days_ago)
        sequence = next(i.sequence for i in days[number].items.all() if i.sequence)
        PracticeLog.objects.create(
            user=member,
            sequence=sequence,
            enrollment=enrollment,
            program_day=number,
            logged_at=datetime.combine(local, time(18, 30), tzinfo=zone),
            local_date=local,
            done=True,
            pain_before=before,
            pain_after=after,
            difficulty="ok" if number > 2 else "easy",
        )


@transaction.atomic
def ensure_demo_programs() -> list[str]:
    """Create the demo program and put the demo member on day 9; return what was made."""
    created = []
    program = Program.objects.filter(slug="si-joint-stability").first()
    if program is None:
        program = _build_program()
        created.append(f"program {program.slug}")
    member = User.objects.filter(email="member@example.com").first()
    if member and not Enrollment.objects.filter(user=member).exists():
        if not member.place:
            member.place = "Berlin"
            member.save(update_fields=["place"])
        _enroll_member(member, program)
        Reminder.objects.get_or_create(
            user=member, defaults={"weekdays": [1, 2, 3, 4, 5], "at": time(7, 30)}
        )
        created.append("the demo member's program, day 9, with weekday reminders")
    return created
