"""allauth's JWT token strategy for apps, remembering each app that signs in
(`AppSignIn`) so its member can see and revoke it on /me/."""

from typing import Any

from allauth.core.internal.httpkit import authenticated_user
from allauth.headless.tokens.strategies.jwt import JWTTokenStrategy
from django.http import HttpRequest

from homestretch.accounts.services import app_sign_in_record


class AppTokenStrategy(JWTTokenStrategy):
    def create_access_token_payload(self, request: HttpRequest) -> dict[str, Any] | None:
        payload = super().create_access_token_payload(request)
        user = authenticated_user(request)
        if payload is not None and user is not None and request.session.session_key:
            app_sign_in_record(
                user=user,
                session_key=request.session.session_key,
                client=request.headers.get("User-Agent", ""),
            )
        return payload
