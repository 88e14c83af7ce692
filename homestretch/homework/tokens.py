"""The signed link of an invitation: `<id>:<nonce>` signed with the site's key and a time.

The signature stops forgery; `max_age` and the row's `expires_at` stop old links; the
row's state makes a link single-use. Each refusal has its own reason, so the page can
say plainly what went wrong.
"""

from datetime import timedelta
from enum import StrEnum

from django.core import signing
from django.utils.crypto import constant_time_compare

from homestretch.homework.models import Invitation

SALT = "homestretch.homework.invitation"
VALID_FOR = timedelta(days=14)


class Refusal(StrEnum):
    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"


class InvitationRefused(Exception):
    def __init__(self, reason: Refusal, invitation: Invitation | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.invitation = invitation


def make_token(invitation: Invitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT, compress=False)


def read_token(token: str) -> Invitation:
    """The pending invitation behind a link, or `InvitationRefused` saying why not."""
    try:
        pk, nonce = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired:
        raise InvitationRefused(Refusal.EXPIRED) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise InvitationRefused(Refusal.FORGED) from None
    invitation = (
        Invitation.objects.select_related("instructor").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None or not constant_time_compare(str(nonce), invitation.nonce):
        raise InvitationRefused(Refusal.FORGED)
    if invitation.state != Invitation.State.PENDING:
        raise InvitationRefused(Refusal.USED, invitation)
    if invitation.is_expired:
        raise InvitationRefused(Refusal.EXPIRED, invitation)
    return invitation
