"""VAPID keys (RFC 8292) for web push: making a pair, and checking a configured one.

The public key is what a browser subscribes with (`applicationServerKey`), the private
key signs each push; both are base64url, as browsers and pywebpush take them.
"""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(private_key: ec.EllipticCurvePrivateKey) -> str:
    point = private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return _b64url(point)


def vapid_pair() -> tuple[str, str]:
    """A new (public, private) pair: the uncompressed P-256 point and the raw 32-byte
    private number, base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return public_key_of(key), _b64url(raw)


def vapid_problem(public: str, private: str, subject: str) -> str:
    """What is wrong with the configured keys and subject, or "" when they will do."""
    if not (public and private):
        return "Set both WEBPUSH_VAPID_PUBLIC_KEY and WEBPUSH_VAPID_PRIVATE_KEY, or neither."
    try:
        raw = _unb64url(private.strip())
        if len(raw) != 32:
            raise ValueError
        key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        return (
            "WEBPUSH_VAPID_PRIVATE_KEY is not a raw P-256 private key in base64url "
            "(43 characters): make a pair with `manage.py webpush_keys`."
        )
    if public_key_of(key) != public.strip().rstrip("="):
        return "WEBPUSH_VAPID_PUBLIC_KEY is not the public key of WEBPUSH_VAPID_PRIVATE_KEY."
    if not subject.startswith(("mailto:", "https://")):
        return (
            "WEBPUSH_VAPID_SUBJECT must be a mailto: address or an https:// URL "
            f"(push services write to it about problems), not {subject!r}."
        )
    return ""
