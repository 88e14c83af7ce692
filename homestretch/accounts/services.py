"""Apps signed in with tokens: listing them and signing one out."""

from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction

from homestretch.accounts.models import AppSignIn, User


def _store(session_key: str | None = None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key)
    return store


def app_sign_in_record(*, user: User, session_key: str, client: str) -> AppSignIn:
    sign_in, _ = AppSignIn.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "client": client[:200]}
    )
    return sign_in


def app_sign_ins(user: User) -> list[AppSignIn]:
    """The user's apps still signed in; those whose session ended are forgotten."""
    alive = []
    for sign_in in AppSignIn.objects.filter(user=user):
        if _store().exists(sign_in.session_key):
            alive.append(sign_in)
        else:
            sign_in.delete()
    return alive


@transaction.atomic
def app_sign_in_revoke(*, user: User, pk: int) -> bool:
    """Sign an app out: its session goes, and with it every token it holds."""
    sign_in = AppSignIn.objects.select_for_update().filter(user=user, pk=pk).first()
    if sign_in is None:
        return False
    _store(sign_in.session_key).delete()
    UserSession.objects.filter(user=user, session_key=sign_in.session_key).delete()
    sign_in.delete()
    return True
