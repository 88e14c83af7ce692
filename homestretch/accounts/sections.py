"""The apps section of the member's page (/me/), offered to the `me` floor."""

from typing import Any

from homestretch.accounts.models import User
from homestretch.accounts.services import app_sign_ins


def apps_section(user: User) -> dict[str, Any]:
    """Apps signed in with tokens, each with a button that signs it out."""
    return {"app_sign_ins": app_sign_ins(user)}
