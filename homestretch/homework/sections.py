"""The homework section of the member's page (/me/), offered to the `me` floor: the
homework instructors set, who sees the member's practice, and the history of that."""

from typing import Any

from homestretch.accounts.models import User
from homestretch.homework import services
from homestretch.homework.dashboard import client_fortnight
from homestretch.homework.forms import ConsentEmailForm, ConsentForm
from homestretch.homework.models import Consent, ConsentEvent


def homework_section(user: User) -> dict[str, Any]:
    consents = list(Consent.objects.active().filter(client=user).select_related("instructor__user"))
    homework = services.current_assignments(user)
    return {
        # Shown until answered, so an invitation is never lost on the way through sign-up.
        "pending_invitations": [
            (invitation, services.invitation_url(invitation))
            for invitation in services.pending_invitations(user)
        ],
        "homework": homework,
        "fortnight": client_fortnight(user) if homework else None,
        "homework_today": user.local_today(),
        "consents": [
            (
                consent,
                ConsentForm(initial=_initial(consent), prefix=f"c{consent.pk}"),
                ConsentEmailForm(
                    initial={"email_homework": consent.email_homework},
                    auto_id=f"id_e{consent.pk}_%s",
                ),
            )
            for consent in consents
        ],
        "consent_events": ConsentEvent.objects.filter(consent__client=user)
        .select_related("consent__instructor")
        .order_by("-created_at", "-pk")[:30],
    }


def _initial(consent: Consent) -> dict[str, bool]:
    return {
        "share_logs": consent.share_logs,
        "share_checks": consent.share_checks,
        "share_progress": consent.share_progress,
    }
