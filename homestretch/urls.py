from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from homestretch import views
from homestretch.api.api import api
from homestretch.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("homestretch.ops.urls")),  # /healthz, /metrics
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon),
    path("accounts/", include("allauth.urls")),
    path("me/homework/", include("homestretch.homework.urls")),
    path("me/", include("homestretch.programs.me_urls")),
    path("me/", include("homestretch.accounts.urls")),
    path("programs/", include("homestretch.programs.urls")),
    path("library/", include("homestretch.library.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("articles/", include("homestretch.articles.urls")),
    # /subscribe/… and /billing/… (the Stripe webhook, the staff dashboard).
    path("", include("homestretch.billing.urls")),
    path("moderation/", include("homestretch.moderation.urls")),
    path("finder/", include("homestretch.finder.urls")),
    path("studio/", include("homestretch.studio.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
