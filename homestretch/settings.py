"""Homestretch settings.

Every value comes from the environment, with safe development defaults; README.md lists
them all. A value that cannot be understood stops start-up with a message naming it.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import cast

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from homestretch.lib.env import (
    email_settings,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# HTTPS decides secure cookies, HSTS and the redirect to https; on unless developing.
HTTPS = env_bool("HTTPS", not DEBUG)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    # Development: generated once and kept, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))
# The studio's name: page titles, emails (allauth's too, see accounts.adapter), feeds,
# the authenticator app's entry.
SITE_NAME = env_str("SITE_NAME", "Homestretch").strip() or "Homestretch"
# Number of reverse proxies (e.g. nginx) in front of Django that set X-Forwarded-For and
# X-Forwarded-Proto. 0 means clients connect directly and those headers are ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.headless",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "template_partials",
    "ninja",
    "homestretch.accounts",
    "homestretch.audit",
    "homestretch.api",
    "homestretch.billing",
    "homestretch.library",
    "homestretch.custom",
    "homestretch.programs",
    "homestretch.articles",
    "homestretch.moderation",
    "homestretch.finder",
    "homestretch.studio",
    "homestretch.homework",
    "homestretch.practice",
    "homestretch.me",
    "homestretch.ops",
    "homestretch.demo",
]

MIDDLEWARE = [
    # First, so every response and every log line of the request carries its id.
    "homestretch.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "homestretch.accounts.middleware.SessionActivityMiddleware",
    "homestretch.accounts.middleware.StaffTwoFactorMiddleware",
    # Axes last, as its documentation asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "homestretch.urls"
WSGI_APPLICATION = "homestretch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "homestretch" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homestretch.accounts.site.site",
            ],
            "builtins": ["homestretch.accounts.templatetags.site"],
        },
    },
]


# Database
def _database() -> dict[str, object]:
    default = f"sqlite:///{VAR_DIR / 'homestretch.sqlite3'}"
    url = env_str("DATABASE_URL", default)
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as e:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL we understand: {e}") from e
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config["NAME"])
        if name != ":memory:":
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the worker write while the web server reads; IMMEDIATE takes the
            # write lock up front instead of failing with "database is locked" mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        # A file, not memory, for tests: the browser tests' live server answers requests
        # on several threads, each with its own connection, as the real server does.
        config["TEST"] = {"NAME": str(VAR_DIR / f"test-homestretch-{os.getpid()}.sqlite3")}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    else:
        raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, rate limits and the task queue use Redis when it is there.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    env_url("REDIS_URL", REDIS_URL, schemes=("redis", "rediss", "unix"))
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # A session is read from Redis, and from the database only when Redis has lost it:
    # a video segment's request reads no session row.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS_BACKEND = env_choice(
    "TASKS_BACKEND", ("immediate", "database", "rq"), "rq" if REDIS_URL else "database"
)
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
# Two queues, each with its own worker: `video` for transcodes (long, CPU-bound; the
# worker can live on another machine), `default` for everything else (emails, exports),
# which a transcode must never hold up.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default", "video"],
    }
}
# How long a job of the default queue may run before its worker stops it (RQ's own
# default, 180 s, is short for a large data export on a slow disk).
TASKS_TIMEOUT = env_int("TASKS_TIMEOUT_SECONDS", 900, minimum=10)
# A transcode may take this many times its source's length, within a floor and a ceiling
# (library.services.transcode_timeout); the ceiling is also the video queue's default.
LIBRARY_TRANSCODE_TIMEOUT_FACTOR = env_int("LIBRARY_TRANSCODE_TIMEOUT_FACTOR", 4, minimum=1)
LIBRARY_TRANSCODE_TIMEOUT_MIN = env_int("LIBRARY_TRANSCODE_TIMEOUT_MIN_SECONDS", 900, minimum=60)
LIBRARY_TRANSCODE_TIMEOUT_MAX = env_int(
    "LIBRARY_TRANSCODE_TIMEOUT_MAX_SECONDS", 8 * 3600, minimum=LIBRARY_TRANSCODE_TIMEOUT_MIN
)
# A running transcode whose worker has been silent this long was killed with it.
LIBRARY_TRANSCODE_STALE_SECONDS = env_int("LIBRARY_TRANSCODE_STALE_SECONDS", 120, minimum=5)
_rq_queue = {
    "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
    # Carries the request id into jobs, and a transcode's own timeout (homestretch/ops/rq.py).
    "QUEUE_CLASS": "homestretch.ops.rq.Queue",
}
RQ_QUEUES = {
    "default": {**_rq_queue, "DEFAULT_TIMEOUT": TASKS_TIMEOUT},
    "video": {**_rq_queue, "DEFAULT_TIMEOUT": LIBRARY_TRANSCODE_TIMEOUT_MAX},
}

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "me:index"

ACCOUNT_ADAPTER = "homestretch.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Adds the browser's time zone (a hidden field) to sign-up.
ACCOUNT_SIGNUP_FORM_CLASS = "homestretch.accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"login": "homestretch.accounts.forms.LoginForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# A duplicate email at sign-up gets a plain form error (the sign-up rate limit bounds
# how fast anyone can probe addresses this way).
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
USERSESSIONS_TRACK_ACTIVITY = True
# Token sign-in for apps at /api/auth/app/v1/ (allauth's headless API, its "app" client
# only: browsers use the pages). Access tokens are short JWTs signed with SECRET_KEY and
# checked against their session on every request, so a revoked app is out at once; the
# refresh token is replaced at each use. The API takes them as `Authorization: Bearer`.
HEADLESS_CLIENTS = ("app",)
HEADLESS_TOKEN_STRATEGY = "homestretch.accounts.tokens.AppTokenStrategy"  # noqa: S105 (a class)
HEADLESS_JWT_ALGORITHM = "HS256"
HEADLESS_JWT_STATEFUL_VALIDATION_ENABLED = True
HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN = 15 * 60
HEADLESS_JWT_REFRESH_TOKEN_EXPIRES_IN = 30 * 24 * 3600
HEADLESS_JWT_ROTATE_REFRESH_TOKEN = True
# Staff must turn on two-factor authentication before they can use the site, except in
# development, so the demo's staff account logs in with its password alone.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not DEBUG)

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The page for browsers, JSON for apps signing in through /api/auth/.
AXES_LOCKOUT_CALLABLE = "homestretch.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "homestretch.lib.http.client_ip"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Comments
# Members with this many approved comments (and none marked spam) skip the queue; 0 = never.
COMMENT_AUTO_APPROVE_AFTER = env_int("COMMENT_AUTO_APPROVE_AFTER", 0, minimum=0)
# Words that send a comment straight to spam (matched as whole words, any case).
COMMENT_BLOCKED_WORDS = [
    word.lower()
    for word in env_list(
        "COMMENT_BLOCKED_WORDS", ["casino", "viagra", "cialis", "payday loan", "crypto giveaway"]
    )
]
COMMENT_RATE_PER_MINUTE = env_int("COMMENT_RATE_PER_MINUTE", 3, minimum=1)
COMMENT_RATE_PER_DAY = env_int("COMMENT_RATE_PER_DAY", 20, minimum=1)

# The JSON API: requests a minute from one address, and from one signed-in person
# (homestretch/api/throttles.py); past either, a 429 with Retry-After.
API_RATE_PER_ADDRESS = f"{env_int('API_RATE_PER_ADDRESS_PER_MINUTE', 600, minimum=1)}/min"
API_RATE_PER_USER = f"{env_int('API_RATE_PER_USER_PER_MINUTE', 300, minimum=1)}/min"
# A person needs a few seconds to write a comment; a bot posting the form at once does not.
COMMENT_MIN_SECONDS = env_int("COMMENT_MIN_SECONDS", 3, minimum=0)

# Billing. Without a Stripe key, plans show as unavailable for card payment and access
# codes and staff grants still work.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# Days a subscription whose payment failed (past_due) keeps its access.
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 3, minimum=0)

# Practice reminders as web-push notifications (homestretch/practice/push.py), beside the
# emails: off unless both VAPID keys are set (`manage.py webpush_keys` makes a pair).
WEBPUSH_VAPID_PUBLIC_KEY = env_str("WEBPUSH_VAPID_PUBLIC_KEY")
WEBPUSH_VAPID_PRIVATE_KEY = env_str("WEBPUSH_VAPID_PRIVATE_KEY")
WEBPUSH_VAPID_SUBJECT = env_str("WEBPUSH_VAPID_SUBJECT", SITE_URL)
if WEBPUSH_VAPID_PUBLIC_KEY or WEBPUSH_VAPID_PRIVATE_KEY:
    from homestretch.lib.vapid import vapid_problem

    if problem := vapid_problem(
        WEBPUSH_VAPID_PUBLIC_KEY, WEBPUSH_VAPID_PRIVATE_KEY, WEBPUSH_VAPID_SUBJECT
    ):
        raise ImproperlyConfigured(problem)

# Finder
# Map tiles for the finder's Leaflet map, with {z}/{x}/{y}; "none" shows markers without
# tiles (offline, tests). Its host is added to the CSP's img-src below.
FINDER_TILE_URL = env_str("FINDER_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
if FINDER_TILE_URL.lower() == "none":
    FINDER_TILE_URL = ""
elif not FINDER_TILE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"FINDER_TILE_URL must start with https:// (or be none), not {FINDER_TILE_URL!r}."
    )
# Contact-form messages one address, email or account may send.
FINDER_CONTACT_RATES = env_list("FINDER_CONTACT_RATES", ["3/h", "10/d"])

# Privacy
# A member's data export is built in the request up to this many rows, else in the
# background with an emailed link valid for PRIVACY_EXPORT_HOURS.
PRIVACY_EXPORT_INLINE_ROWS = env_int("PRIVACY_EXPORT_INLINE_ROWS", 5000, minimum=0)
PRIVACY_EXPORT_HOURS = env_int("PRIVACY_EXPORT_HOURS", 48, minimum=1)

# Homework
# Invitations one instructor account, or one address, may send (each also sends an email).
HOMEWORK_INVITE_RATES = env_list("HOMEWORK_INVITE_RATES", ["10/h", "30/d"])
# Whether a client plays the sequences assigned to them as homework without library access.
HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION = env_bool("HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION", False)

# Who may play a sequence beyond previews and library access: dotted paths to functions
# (user, sequence) -> bool, asked by homestretch.library.access.may_play (like
# AUTHENTICATION_BACKENDS), so the library never imports the apps above it.
LIBRARY_PLAY_RULES: list[str] = []
if HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION:
    LIBRARY_PLAY_RULES.append("homestretch.homework.access.plays_as_homework")
# Where a person goes first after logging in, when one of these (user) -> URL | None
# functions has somewhere: a pending homework invitation's consent page.
LOGIN_REDIRECT_RULES = ["homestretch.homework.services.pending_invitation_url"]
# Who else sees a custom sequence's versions (its watch page and handout), beyond its
# owner, staff and a published one's readers: (user, custom sequence) -> [Given] functions.
CUSTOM_GIVEN_RULES = ["homestretch.homework.access.custom_given_as_homework"]

# Security
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

_tile_origin = (
    ["https://" + FINDER_TILE_URL.split("/")[2].replace("{s}", "*")] if FINDER_TILE_URL else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *_tile_origin],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Stripe Checkout and the customer portal are a form post answered by a redirect.
        "form-action": [SELF, "https://checkout.stripe.com", "https://billing.stripe.com"],
        "frame-ancestors": [NONE],
    }
}

# Email
_email = email_settings("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
EMAIL_BACKEND = str(_email["EMAIL_BACKEND"])
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH")
EMAIL_HOST = str(_email.get("EMAIL_HOST", "localhost"))
EMAIL_PORT = int(str(_email.get("EMAIL_PORT", 25)))
EMAIL_HOST_USER = str(_email.get("EMAIL_HOST_USER", ""))
EMAIL_HOST_PASSWORD = str(_email.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalization
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files and uploads
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [
    BASE_DIR / "homestretch" / "static",
    # Front-end packages copied out of node_modules by `make assets`; never committed.
    ("vendor", BASE_DIR / "var" / "vendor"),
]
MEDIA_URL = "/media/"  # never served as such: video files go through library:media
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Library uploads: streamed to disk, refused above this size.
LIBRARY_MAX_UPLOAD_BYTES = env_int("LIBRARY_MAX_UPLOAD_MB", 8 * 1024, minimum=1) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "homestretch.library.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Where media lives (sources, encodings, posters, photos, exports): the local folder
# MEDIA_ROOT, or an S3-compatible bucket. Everything goes through Django's storage API,
# so a transcode worker needs the bucket, not the web server's disk.
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", ("local", "s3"), "local")
MEDIA_S3_ENDPOINT_URL = env_str("MEDIA_S3_ENDPOINT_URL")
if MEDIA_S3_ENDPOINT_URL:
    env_url("MEDIA_S3_ENDPOINT_URL", MEDIA_S3_ENDPOINT_URL, schemes=("http", "https"))
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
MEDIA_S3_REGION = env_str("MEDIA_S3_REGION", "us-east-1")
MEDIA_S3_ADDRESSING_STYLE = env_choice(
    "MEDIA_S3_ADDRESSING_STYLE", ("path", "virtual", "auto"), "path"
)
# A folder inside the bucket, so one bucket can hold several sites (or test runs).
MEDIA_S3_PREFIX = env_str("MEDIA_S3_PREFIX").strip("/")
if MEDIA_STORAGE == "s3" and not MEDIA_S3_BUCKET:
    raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")


def _media_storage() -> dict[str, object]:
    if MEDIA_STORAGE == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": MEDIA_S3_ENDPOINT_URL or None,
            "region_name": MEDIA_S3_REGION,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": MEDIA_S3_PREFIX,
            # Names are never reused (a new upload gets a new name, an encoding a new
            # folder), and nothing in the bucket is public: every URL is signed.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
            # Fail fast: an unreachable bucket must fail an upload or /healthz within
            # seconds, not after botocore's minute of retries.
            "client_config": Config(
                s3={"addressing_style": MEDIA_S3_ADDRESSING_STYLE},
                signature_version="s3v4",
                connect_timeout=5,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


def _bucket_origin() -> str:
    """Where browsers fetch segments from under the object-storage delivery (for the CSP)."""
    from urllib.parse import urlsplit

    if MEDIA_S3_ENDPOINT_URL:
        parts = urlsplit(MEDIA_S3_ENDPOINT_URL)
        host = parts.netloc
        if MEDIA_S3_ADDRESSING_STYLE == "virtual":
            host = f"{MEDIA_S3_BUCKET}.{host}"
        return f"{parts.scheme}://{host}"
    if MEDIA_S3_ADDRESSING_STYLE == "path":
        return f"https://s3.{MEDIA_S3_REGION}.amazonaws.com"
    return f"https://{MEDIA_S3_BUCKET}.s3.{MEDIA_S3_REGION}.amazonaws.com"


# How signed video URLs are made and checked (see homestretch/library/delivery.py): a
# class path, or one of the short names of the three deliveries that ship.
_DELIVERIES = {
    "django": "homestretch.library.delivery.SignedUrlDelivery",
    "nginx": "homestretch.library.delivery.NginxSecureLinkDelivery",
    "object-storage": "homestretch.library.delivery.ObjectStorageDelivery",
}
LIBRARY_DELIVERY = env_str("LIBRARY_DELIVERY", "django")
LIBRARY_DELIVERY = _DELIVERIES.get(LIBRARY_DELIVERY, LIBRARY_DELIVERY)
_NGINX_DELIVERY = _DELIVERIES["nginx"] == LIBRARY_DELIVERY
_BUCKET_DELIVERY = _DELIVERIES["object-storage"] == LIBRARY_DELIVERY
if _BUCKET_DELIVERY and MEDIA_STORAGE != "s3":
    raise ImproperlyConfigured("LIBRARY_DELIVERY=object-storage needs MEDIA_STORAGE=s3.")
if _NGINX_DELIVERY and MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("LIBRARY_DELIVERY=nginx serves MEDIA_ROOT: it needs local storage.")
# The secret nginx's secure_link shares with Django (deploy/nginx/homestretch.conf).
LIBRARY_NGINX_SECRET = env_str("LIBRARY_NGINX_SECRET")
if _NGINX_DELIVERY and len(LIBRARY_NGINX_SECRET) < 32:
    raise ImproperlyConfigured(
        "LIBRARY_DELIVERY=nginx needs LIBRARY_NGINX_SECRET: at least 32 random characters, "
        "the same as in nginx's homestretch-media-secret.conf."
    )
# Segment URLs of the nginx and object-storage deliveries live this long: after access
# ends, the next segment is refused within it (the player then asks for a fresh playlist,
# which checks access). The Django delivery checks access on every segment itself.
LIBRARY_SEGMENT_TTL_SECONDS = env_int("LIBRARY_SEGMENT_TTL_SECONDS", 60, minimum=2)
if LIBRARY_SEGMENT_TTL_SECONDS > 60:
    raise ImproperlyConfigured(
        "LIBRARY_SEGMENT_TTL_SECONDS must be at most 60: playback must stop within a minute "
        "of access ending."
    )
# Playlist URLs (checked against access on every fetch) live this long.
LIBRARY_PLAYLIST_TTL_SECONDS = env_int("LIBRARY_PLAYLIST_TTL_SECONDS", 3600, minimum=10)

# Under the object-storage delivery the player fetches segments (hls.js: connect-src) and
# the seek-bar thumbnails (img-src) from the bucket.
if _BUCKET_DELIVERY:
    _directives = cast(dict[str, list[str]], CONTENT_SECURITY_POLICY["DIRECTIVES"])
    for _directive in ("img-src", "media-src", "connect-src"):
        _directives[_directive].append(_bucket_origin())

STORAGES = {
    "default": _media_storage(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "homestretch.lib.staticfiles.HashedGzippedStaticFiles"
    },
}

# Logs: one JSON object a line in production (journald, or any collector, can parse it),
# each with the id of the request or task it belongs to; plain text when developing.
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "text"), "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "homestretch.lib.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint (the custom sequences' PDF handouts) logs each step of every render.
        "weasyprint": {"level": "WARNING"},
    },
}

# Monitoring
# /metrics answers a Prometheus scrape that presents this bearer token; unset, it is off.
METRICS_TOKEN = env_str("METRICS_TOKEN")
if METRICS_TOKEN:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
# Error reports to Sentry, without personal data (homestretch/ops/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    env_url("SENTRY_DSN", SENTRY_DSN, schemes=("https", "http"))
    from homestretch.ops.sentry import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
