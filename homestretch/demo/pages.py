"""The demo's privacy notice, terms and contact page: our own text, written for a studio
that keeps pain logs and self-check answers. A real studio edits them in the admin (Pages)
and fills in its own name, address and contact; nothing here is legal advice."""

from homestretch.articles.models import Page

PRIVACY = """\
This notice explains what the studio keeps about you on this site, why, who can see it,
and how you take it with you or have it deleted. We wrote it plainly on purpose.

## Who we are

The studio that runs this site is responsible for your data (the "controller"). Demo
studio, 1 Example Street, 10000 Example City; privacy@example.org. *A real studio puts
its own name and address here.*

## What we keep, and why

- **Your account**: your email address, the name you choose, your time zone and town.
  We need them to run your account and send you the emails you ask for.
- **Your health data**: practice logs (what you practised, pain before and after,
  difficulty, your notes), your answers to the safety self-check, outcome checks (pain
  and activity scores) and, after a red flag, your statement of when a clinician saw you.
  This is health information, which the law protects specially. We keep it only because
  you enter it, to show you your progress, and we use it for nothing else.
- **Homework and sharing**: which instructor you share with, exactly what you chose to
  share, and the history of those choices.
- **Payments**: if card payment is offered, Stripe processes your card; we keep only
  your subscription's status and dates, never card numbers.
- **Comments** you post on articles, and the email address you give with them.
- **Sign-in records**: the browsers you are signed in on and their IP addresses, and
  failed log-ins, to keep your account safe.

## Who can see it

- **You.** Everything above is on your page, *My practice*.
- **An instructor, only if you say so.** When you accept an instructor's invitation you
  choose what they may see (logs; self-checks and outcome checks; program progress).
  They never see your email address. You can change or stop this at any time, and it
  applies at once.
- **Studio staff** can reach the database to run the site; self-checks and logs are not
  shown in the admin, and staff sign in with two-factor authentication.
- **No one else.** We do not sell or share your data, show ads, or use tracking or
  analytics services. Your health data is never sent to third parties.

The services that help us run the site (our hosting provider, the email relay that
delivers our emails and, for payments, Stripe) process data only on our instructions.

## How long we keep it

As long as you have an account. When you delete your account, your health data is erased
first, then everything else; you choose whether your comments are deleted or kept
without your name. Records of payments stay with Stripe as the law on accounts requires.

## Your rights

You can see and correct your data on *My practice*, download all of it as a file (JSON),
withdraw consent for an instructor at any time, and delete your account. You may also
object, ask us to restrict what we do, or complain to your data protection authority.
Write to us at the address above with any question.

## Cookies

We use only the cookies the site needs to work: one that keeps you signed in and one
that protects forms. No advertising or tracking cookies.

## Safety

This site supports self-care; it does not diagnose. Pages showing your health data are
never stored by browsers' or proxies' caches.
"""

TERMS = """\
## Self-care, not a diagnosis

The sequences, programs and articles here support self-care for SI-joint and pelvic
pain. They are not a diagnosis or a treatment plan. If the safety self-check finds a
red flag, or something feels wrong, stop and see a clinician.

## Your account

Keep your password to yourself; you are responsible for what is done with your account.
You can delete it at any time from *My practice*.

## Subscriptions and access codes

A subscription or an access code opens the whole library for its term. Free previews
are open to everyone. Codes are personal and work once.

## What you post

Comments are read by a moderator before they appear. Be kind; no advertising, no
medical claims about others. We may remove what breaks these rules.

## The videos and texts

They belong to the studio and its instructors. Watch them for your own practice;
please do not copy or republish them.

*These are the demo studio's terms. A real studio writes its own.*
"""

CONTACT = """\
We are happy to hear from you.

- **Email:** hello@example.org. We answer within two working days.
- **Post:** Demo studio, 1 Example Street, 10000 Example City.
- **An access code:** ask on the [subscribe page](/subscribe/#request).
- **Privacy questions:** privacy@example.org (see the [privacy notice](/privacy/)).

For medical questions, please ask your doctor or physiotherapist: we cannot advise you
on your health by email. In an emergency, call your local emergency number.

*A real studio puts its own contact details here.*
"""

DEMO_PAGES = [
    (Page.Slug.PRIVACY, "Privacy notice", PRIVACY),
    (Page.Slug.TERMS, "Terms of use", TERMS),
    (Page.Slug.CONTACT, "Contact the studio", CONTACT),
]


def ensure_demo_pages() -> list[str]:
    """Create the pages that are missing; never overwrite what staff have edited."""
    created = []
    for slug, title, body in DEMO_PAGES:
        if Page.objects.filter(slug=slug).exists():
            continue
        page = Page(slug=slug, title=title, body=body)
        page.render()
        page.save()
        created.append(f"page /{slug}/")
    return created
