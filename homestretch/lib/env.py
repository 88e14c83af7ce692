"""Typed readers for environment variables.

Each reader returns the default when the variable is unset or empty, and raises
`ImproperlyConfigured` naming the variable when its value cannot be understood, so a
typo stops start-up instead of silently falling back.
"""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name: str, default: str = "") -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    value = _raw(name) or default
    parts = urlsplit(value)
    if parts.scheme not in schemes or (parts.scheme in ("http", "https") and not parts.netloc):
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, "
            f"not {value!r}."
        )
    return value.rstrip("/")


def email_settings(name: str, default: str) -> dict[str, object]:
    """Django email settings from one URL.

    `smtp://user:password@host:587` (STARTTLS with `smtp+tls://`, implicit TLS with
    `smtp+ssl://`), `console://`, `file:///path/to/dir` or `locmem://`.
    """
    value = _raw(name) or default
    parts = urlsplit(value)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file" and parts.path:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in ("smtp", "smtp+tls", "smtp+ssl") and parts.hostname:
        try:
            port = parts.port
        except ValueError:
            port = None
            scheme = "invalid"
        if scheme != "invalid":
            return {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": parts.hostname,
                "EMAIL_PORT": port
                or (465 if scheme == "smtp+ssl" else 587 if scheme == "smtp+tls" else 25),
                "EMAIL_HOST_USER": unquote(parts.username or ""),
                "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
                "EMAIL_USE_TLS": scheme == "smtp+tls",
                "EMAIL_USE_SSL": scheme == "smtp+ssl",
            }
    raise ImproperlyConfigured(
        f"{name} must look like smtp://user:password@host:port, smtp+tls://…, smtp+ssl://…, "
        f"console://, file:///path or locmem://, not {value!r}."
    )
