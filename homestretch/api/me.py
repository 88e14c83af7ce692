from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, field_validator

from homestretch.accounts.models import User, validate_timezone

router = Router()


class MeOut(Schema):
    email: str
    display_name: str
    timezone: str
    is_instructor: bool
    is_staff: bool


class MeIn(Schema):
    display_name: str | None = Field(default=None, max_length=80)
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                validate_timezone(value)
            except ValidationError as e:
                raise ValueError(e.messages[0]) from None
        return value


def _me(user: User) -> MeOut:
    return MeOut(
        email=user.email,
        display_name=user.display_name,
        timezone=user.timezone,
        is_instructor=user.is_instructor,
        is_staff=user.is_staff,
    )


@router.get("", response=MeOut, summary="My profile")
def get_me(request: HttpRequest) -> MeOut:
    assert isinstance(request.user, User)
    return _me(request.user)


@router.patch("", response=MeOut, summary="Change my profile")
def patch_me(request: HttpRequest, payload: MeIn) -> MeOut:
    user = request.user
    assert isinstance(user, User)
    changes = payload.dict(exclude_none=True)
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        user.save(update_fields=list(changes))
    return _me(user)
