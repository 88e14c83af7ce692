from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from homestretch import views, webapp
from homestretch.api import errors as api_errors
from homestretch.api.api import api
from homestretch.articles import views as article_views
from homestretch.custom import views as custom_views
from homestretch.practice.views import reminders as practice_reminders
from homestretch.sitemaps import SITEMAPS

# The admin's own login form checks the password alone; staff sign in through allauth's,
# which asks for the authenticator code too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("homestretch.ops.urls")),  # /healthz, /metrics
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon),
    # The installable app: a service worker must be served from the root to cover the site.
    path("sw.js", webapp.service_worker, name="service_worker"),
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("offline/", webapp.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("me/homework/", include("homestretch.homework.urls")),
    path("me/", include("homestretch.practice.urls")),
    path("me/", include("homestretch.me.urls")),
    # The private calendar feed, opened by its token alone: calendars cannot log in.
    # Tokens are URL-safe base64 (CalendarFeed.token); anything else is a 404 without a query.
    re_path(
        r"^programs/calendar/(?P<token>[A-Za-z0-9_-]{16,40})\.ics$",
        practice_reminders.calendar_feed,
        name="calendar_feed",
    ),
    path("programs/", include("homestretch.programs.urls")),
    # A published custom sequence's page in the library (before the library's own slugs).
    path("library/custom/<slug:slug>/", custom_views.published, name="custom_published"),
    path("library/", include("homestretch.library.urls")),
    path("custom/", include("homestretch.custom.urls")),
    path("admin/", admin.site.urls),
    # Apps sign in for tokens here (allauth's headless API, README "API").
    path("api/auth/", include("allauth.headless.urls")),
    path("api/", api.urls),
    # Any other address under /api/ answers in the API's error shape, not with a page.
    re_path(r"^api/(?P<path>.*)$", api_errors.not_found_view),
    path("articles/", include("homestretch.articles.urls")),
    # /subscribe/… and /billing/… (the Stripe webhook, the staff dashboard).
    path("", include("homestretch.billing.urls")),
    path("moderation/", include("homestretch.moderation.urls")),
    path("finder/", include("homestretch.finder.urls")),
    path("studio/", include("homestretch.studio.urls")),
    # Pages staff write in the admin (articles.Page).
    path("privacy/", article_views.page, {"slug": "privacy"}, name="privacy"),
    path("terms/", article_views.page, {"slug": "terms"}, name="terms"),
    path("contact/", article_views.page, {"slug": "contact"}, name="contact"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
