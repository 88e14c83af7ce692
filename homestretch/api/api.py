"""The JSON API at /api/, described at /api/openapi.json.

Browsers call it with their session cookie, so every unsafe method needs the CSRF token
(ninja's session auth checks it). Each capability adds a router here.
"""

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import django_auth

from homestretch.api.articles import router as articles_router
from homestretch.api.custom import router as custom_router
from homestretch.api.finder import router as finder_router
from homestretch.api.homework import me_router as homework_me_router
from homestretch.api.homework import studio_router
from homestretch.api.library import router as library_router
from homestretch.api.me import router as me_router
from homestretch.api.practice import logs_router, my_programs_router, programs_router

api = NinjaAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description="The data a mobile or web client needs: profile, library, progress, finder.",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/me", me_router, tags=["me"])
api.add_router("/me/logs", logs_router)
api.add_router("/me/programs", my_programs_router)
api.add_router("/programs", programs_router)
api.add_router("/library", library_router)
api.add_router("/custom-sequences", custom_router)
api.add_router("/articles", articles_router, tags=["articles"])
api.add_router("/finder", finder_router, tags=["finder"])
api.add_router("/me", homework_me_router, tags=["homework"])
api.add_router("/studio", studio_router, tags=["homework"])
