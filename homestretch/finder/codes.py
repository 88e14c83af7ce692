"""Public credential codes: unguessable, short, and easy to read aloud.

Ten Crockford base32 symbols (50 random bits) shown as two groups of five, e.g.
`7KQ2M-XD4RT`. Crockford's alphabet leaves out I, L, O and U, so nothing is confused with
1 or 0 over the phone; reading is forgiving: any case, with or without the hyphen, and
I/L read as 1 and O as 0.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{symbols[:5]}-{symbols[5:]}"


def normalize(text: str) -> str | None:
    """The stored form of a code someone typed, or None if it cannot be one."""
    symbols = text.upper().replace("-", "").replace(" ", "").translate(_READ_AS)
    if len(symbols) != LENGTH or any(symbol not in ALPHABET for symbol in symbols):
        return None
    return f"{symbols[:5]}-{symbols[5:]}"
