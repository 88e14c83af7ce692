"""What the safety self-check asks and what it says back. Self-care support, never a diagnosis:
every message says "may" and points to a clinician."""

from collections.abc import Iterable

from homestretch.programs.models import PainArea, RedFlag, SelfCheck

# (question, urgent). The first migration loads these; staff edit them in the admin.
DEFAULT_RED_FLAGS: list[tuple[str, bool]] = [
    (
        "Have you recently lost control of your bladder or bowels, or found it hard to pass urine?",
        True,
    ),
    (
        "Do you have numbness or tingling around your genitals, buttocks "
        "or inner thighs (the saddle area)?",
        True,
    ),
    ("Is weakness in one or both legs getting worse?", False),
    ("Do you have a fever or chills along with the pain?", False),
    ("Did the pain start after a recent fall, accident or blow?", False),
    ("Have you lost weight recently without trying?", False),
    ("Have you ever had cancer?", False),
    ("Is the pain severe at night or when you rest, whatever position you take?", False),
    ("Are you pregnant and have bleeding, or severe or cramping pain?", False),
]


# Said again, before anything else, whenever an urgent stop stands.
URGENT_ADVICE = (
    "Loss of bladder or bowel control, or numbness in the saddle area, can be signs that a "
    "nerve is pressed and needs treatment quickly. If you have not been seen yet, go to an "
    "emergency department or call your local emergency number today."
)


def active_red_flags() -> list[RedFlag]:
    """The questions to ask. A self-check is never offered without them: if staff retired
    every question (or a test flushed the table), the default set comes back."""
    flags = list(RedFlag.objects.filter(is_active=True))
    if not flags:
        flags = RedFlag.objects.bulk_create(
            RedFlag(question=question, is_urgent=urgent, position=index)
            for index, (question, urgent) in enumerate(DEFAULT_RED_FLAGS, start=1)
        )
    return flags


def fit_message(areas: Iterable[str]) -> str:
    """A careful word on whether the pain pattern fits an SI-joint program."""
    chosen = set(areas)
    if not chosen:
        return (
            "You did not mark where it hurts. The program may still help; "
            "if you are unsure it suits you, ask a clinician or one of our instructors."
        )
    if PainArea.BELOW_KNEE in chosen:
        return (
            "Pain that travels below the knee may come from a nerve in the lower back rather "
            "than the sacroiliac joint. Start gently, and see a clinician if it spreads, "
            "or if numbness or weakness appears."
        )
    if PainArea.ONE_SIDE in chosen:
        return (
            "Pain on one side of the low back or buttock, perhaps into the groin or thigh, "
            "may be consistent with the sacroiliac joint, which this program works on. "
            "It is not a diagnosis: a clinician can tell you more."
        )
    return (
        "Your pattern may fit this program only in part. Practise gently, and if the pain "
        "does not ease within a few weeks, a hands-on evaluation may help."
    )


def stop_message(self_check: SelfCheck) -> str:
    """Why the program stops here, and what to do now."""
    if self_check.is_urgent:
        return (
            "One of your answers needs urgent care. Contact a doctor or your local emergency "
            "number now, today. Do not start this program."
        )
    return (
        "One of your answers means a clinician should see you before you start this "
        "program. It may be nothing serious, but it needs a professional to check it first."
    )
