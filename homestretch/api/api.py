"""The JSON API at /api/, described at /api/openapi.json and /api/docs.

Apps sign in for a token (allauth's headless endpoints under /api/auth/app/v1/, see
README's API section) and send it as `Authorization: Bearer <token>`; browsers call it
with their session cookie, so every unsafe method then needs the CSRF token (ninja's
session auth checks it). Every list is paged alike (`pagination.Paged`), every error has
one shape (`errors`), and callers are rate-limited per address and per person
(`throttles`). Each capability adds a router here.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Schema

from homestretch.api import errors
from homestretch.api.articles import router as articles_router
from homestretch.api.auth import SIGNED_IN
from homestretch.api.custom import router as custom_router
from homestretch.api.finder import router as finder_router
from homestretch.api.homework import me_router as homework_me_router
from homestretch.api.homework import studio_router
from homestretch.api.library import router as library_router
from homestretch.api.me import router as me_router
from homestretch.api.practice import (
    logs_router,
    my_programs_router,
    programs_router,
    push_router,
)
from homestretch.api.throttles import PerAddress, PerUser


class Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Every operation may answer an error in the one shape: say so, once for all."""
        schema = super().get_openapi_schema(*args, **kwargs)
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
            errors.ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        components = schema["components"]["schemas"]
        for name, definition in components["ErrorOut"].pop("$defs", {}).items():
            components.setdefault(name, definition)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(
                    "default",
                    {
                        "description": "An error (4xx or 5xx), in the one shape of the API.",
                        "content": {"application/json": {"schema": ref}},
                    },
                )
        return schema


api = Api(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description="The data a mobile or web client needs: profile, library, programs and "
    "practice log, homework, finder, articles. Sign in for a token at "
    "/api/auth/app/v1/auth/login and send it as `Authorization: Bearer <token>`.",
    auth=SIGNED_IN,
    throttle=[PerAddress(), PerUser()],
    urls_namespace="api",
)
errors.install(api)


class IndexOut(Schema):
    name: str
    version: str
    openapi: str
    docs: str
    sign_in: dict[str, str]
    resources: dict[str, str]


@api.get("", response=IndexOut, auth=None, summary="What this API offers", tags=["index"])
def index(request: HttpRequest) -> dict[str, object]:
    auth = "/api/auth/app/v1"
    return {
        "name": api.title,
        "version": api.version,
        "openapi": "/api/openapi.json",
        "docs": "/api/docs",
        "sign_in": {
            "login": f"{auth}/auth/login",
            "two_factor": f"{auth}/auth/2fa/authenticate",
            "refresh": f"{auth}/tokens/refresh",
            "logout": f"{auth}/auth/session",
        },
        "resources": {
            "me": "/api/me",
            "practice_logs": "/api/me/logs",
            "my_programs": "/api/me/programs",
            "push_subscriptions": "/api/me/push-subscriptions",
            "homework": "/api/me/homework",
            "programs": "/api/programs",
            "library": "/api/library/sequences",
            "articles": "/api/articles",
            "finder": "/api/finder/search",
            "clients": "/api/studio/clients",
        },
    }


api.add_router("/me", me_router, tags=["me"])
api.add_router("/me/logs", logs_router)
api.add_router("/me/programs", my_programs_router)
api.add_router("/me/push-subscriptions", push_router)
api.add_router("/programs", programs_router)
api.add_router("/library", library_router)
api.add_router("/custom-sequences", custom_router)
api.add_router("/articles", articles_router, tags=["articles"])
api.add_router("/finder", finder_router, tags=["finder"])
api.add_router("/me", homework_me_router, tags=["homework"])
api.add_router("/studio", studio_router, tags=["homework"])
