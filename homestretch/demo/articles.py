"""Three demo articles of our own writing, with comments in every state the queue shows."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from homestretch.accounts.models import User
from homestretch.articles.models import Article, Comment, Tag
from homestretch.lib.markdown import render_comment
from homestretch.library.models import Sequence

SI_JOINT = """\
Many people who say "my lower back hurts" point, when asked, at a spot just beside the
dimples at the base of the spine. That is where the sacrum meets the pelvis: the
sacroiliac, or SI, joint. It moves only a few millimetres, but it carries the whole upper
body onto the legs, so when it sits or moves badly the whole day can feel it.

## What SI joint pain may feel like

- A deep ache on one side of the low back or buttock, sometimes into the groin or thigh.
- Pain when standing on one leg, climbing stairs or turning over in bed.
- Stiffness after sitting that eases once you get moving, then returns by evening.

None of these proves the joint is the cause. Discs, hips and nerves can feel similar,
which is why a check by someone trained matters.

## Why it keeps coming back

A hands-on session can ease the joint back to where it works well. The muscles around
it then decide whether it stays there. Long sitting, always carrying a bag or a child on
the same side, and the changes of pregnancy all pull the same way, day after day. Without
some daily homework, the old pattern usually wins.

## What you can do at home

Short, regular practice tends to do more than an occasional long one. A few minutes of
gentle, guided movement most days may help the muscles around the pelvis share the load
again. Our [SI joint programs](/programs/) start with a safety self-check and build up
over four weeks, one short sequence a day.

### Keep a simple log

Note your pain before and after each session on a scale from 0 to 10. After two weeks you
will see a trend instead of a feeling, and a change of 2 points or more is usually one
people notice in daily life.

## When to see someone

If the pain is not easing after a few weeks of steady practice, an instructor can check
the joint and adjust your homework. You can [find an instructor with the NeuroStrength
(NS) badge](/finder/?badge=NS) near you.

See a clinician straight away if you notice numbness around the saddle area, trouble
controlling your bladder or bowel, fever, or pain after a fall or accident.
"""

POSTPARTUM = """\
Pregnancy asks the pelvis to loosen so a baby can pass through, and it does not tighten
again overnight. Many new parents feel it months later: a sharp catch when getting out of
the car, an ache after a long walk with the pram, a sense that one side "gives".

## Be kind about the timeline

Ligaments take time to settle, often many months. Feeling the pelvis is not a sign that
something is broken. It may simply be a sign that the muscles have more work to do while
the ligaments recover.

## Small habits that add up

- Get in and out of the car with both knees together, turning your whole body.
- Swap the side you carry the baby on, or use a carrier that spreads the weight.
- Stand on both feet while you wait; try not to hang on one hip.

## Gentle first practice

Start with five minutes lying down: breathing into the belly and back, then small pelvic
tilts, then drawing the knees together against a cushion. Stop if anything hurts sharply.
If you had a caesarean or a difficult birth, ask your midwife or doctor before you begin.
"""

HABIT = """\
The hardest part of homework is rarely the exercise. It is remembering to do it, and
doing it again tomorrow.

## Attach it to something you already do

After you brush your teeth, after you drop the children at school, before your first
coffee: a practice hooked onto an existing habit is easier to keep than one that needs a
free slot in the day.

## Make it small enough to say yes to

On a bad day, do one move instead of none. Five minutes every day usually does more than
forty minutes once a week, and it keeps the thread unbroken.

## Write it down

A tick in a log is a small reward, and it gives you and your instructor something real
to look at when you talk about what is working.
"""


@dataclass(frozen=True)
class DemoComment:
    name: str
    body: str
    status: Comment.Status = Comment.Status.APPROVED
    member_email: str = ""
    hold_reason: str = ""
    replies: tuple["DemoComment", ...] = ()


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    summary: str
    body: str
    tags: tuple[str, ...]
    days_ago: int
    finder_badge: str = ""
    comments: tuple[DemoComment, ...] = field(default_factory=tuple)
    sequences: tuple[str, ...] = ()  # slugs of demo sequences shown as cards


DEMO_ARTICLES = (
    DemoArticle(
        slug="si-joint-pain-what-it-may-be",
        sequences=(
            "si-joint-side-lying-stability",
            "walking-without-the-twinge",
            "morning-pelvis-reset",
        ),
        title="SI joint pain: what it may be, and what you can do at home",
        summary="Where the sacroiliac joint is, why its pain tends to come back, and how a "
        "few minutes of daily homework may help it stay settled.",
        body=SI_JOINT,
        tags=("SI joint", "Self-care"),
        days_ago=12,
        finder_badge="NS",
        comments=(
            DemoComment(
                "Jo",
                "This describes my last two years exactly. The *standing on one leg* part "
                "especially: putting on trousers was the worst.",
                replies=(
                    DemoComment(
                        "",
                        "Same here. Sitting down to dress helped me a lot while I built up "
                        "the exercises.",
                        member_email="member@example.com",
                    ),
                ),
            ),
            DemoComment(
                "Priya",
                "How long did it take before the log showed a change for you?\n\nI am on day 9.",
            ),
            DemoComment(
                "Tom",
                "Is it normal that the ache moves from left to right?",
                status=Comment.Status.PENDING,
            ),
            DemoComment(
                "Best deals",
                "Cheap casino bonus, click now https://spam.example https://spam.example/2 "
                "https://spam.example/3",
                status=Comment.Status.SPAM,
                hold_reason="blocked word: casino",
            ),
        ),
    ),
    DemoArticle(
        slug="pelvic-pain-after-pregnancy",
        sequences=("breath-into-the-back-ribs", "bridge-step-by-step"),
        title="Pelvic pain after pregnancy: gentle first steps",
        summary="Why the pelvis can feel unsteady for months after a birth, and small daily "
        "habits that may make it easier.",
        body=POSTPARTUM,
        tags=("Pelvis", "Postpartum"),
        days_ago=6,
        comments=(
            DemoComment(
                "Lena",
                "The car tip sounds so simple but it made a real difference this week.",
                replies=(
                    DemoComment(
                        "",
                        "Glad it helped. Thank you for telling us.",
                        member_email="staff@example.com",
                    ),
                ),
            ),
            DemoComment(
                "Rui",
                "My physio suggested something similar. Useful links I found:\n\n"
                "- https://example.org/one\n- https://example.org/two\n"
                "- https://example.org/three",
                status=Comment.Status.PENDING,
                hold_reason="3 links (more than 2)",
            ),
        ),
    ),
    DemoArticle(
        slug="five-minutes-a-day",
        sequences=("desk-break-hips-and-spine",),
        title="Five minutes a day: building a practice that sticks",
        summary="The exercise is the easy part. Some plain ways to make homework part of the "
        "day instead of one more thing to remember.",
        body=HABIT,
        tags=("Self-care", "Habits"),
        days_ago=2,
        comments=(
            DemoComment(
                "Ana",
                "After brushing teeth works for me too. I keep the mat by the bathroom door.",
            ),
            DemoComment(
                "",
                "I tried mornings and failed, evenings work better. Does the time of day matter?",
                status=Comment.Status.PENDING,
                member_email="visitor@example.com",
            ),
        ),
    ),
)


def _tag(name: str) -> Tag:
    tag, _ = Tag.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})
    return tag


def _comment(article: Article, spec: DemoComment, when: datetime, parent: Comment | None) -> None:
    user = User.objects.filter(email=spec.member_email).first() if spec.member_email else None
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        user=user,
        name="" if user else spec.name,
        email="" if user else f"{slugify(spec.name) or 'someone'}@example.net",
        body=spec.body,
        body_html=render_comment(spec.body),
        status=spec.status,
        hold_reason=spec.hold_reason,
        created_at=when,
        published_at=when if spec.status == Comment.Status.APPROVED else None,
    )
    for reply in spec.replies:
        _comment(article, reply, when + timedelta(hours=3), comment)


@transaction.atomic
def ensure_demo_articles() -> list[str]:
    """Create whichever demo articles are missing, with their comments; return their slugs."""
    author = User.objects.get(email="staff@example.com")
    now = timezone.now()
    created = []
    for spec in DEMO_ARTICLES:
        if Article.objects.filter(slug=spec.slug).exists():
            continue
        article = Article(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            author=author,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(days=spec.days_ago),
            finder_badge=spec.finder_badge,
        )
        article.render()
        article.save()
        article.tags.set([_tag(name) for name in spec.tags])
        article.related_sequences.set(Sequence.objects.filter(slug__in=spec.sequences))
        for n, comment in enumerate(spec.comments):
            when = now - timedelta(days=spec.days_ago - 1, hours=-n)
            _comment(article, comment, min(when, now - timedelta(minutes=30 - n)), None)
        created.append(spec.slug)
    return created
