"""Prices in the visitor's own format, from the CLDR data Babel ships: "€12" in English,
"12 €" in German, "CHF 12.50" in Swiss German. Whole amounts lose their ".00"."""

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.utils.translation.trans_real import parse_accept_lang_header

DEFAULT_LOCALE = "en"


def locale_from_accept_language(header: str) -> str:
    """The first locale of an Accept-Language header that Babel knows ("de-CH" → "de_CH"),
    else English. A malformed header is no error: it is only a preference."""
    for language, _quality in parse_accept_lang_header(header or ""):
        if language == "*":
            continue
        try:
            return str(Locale.parse(language.replace("-", "_")))
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    return DEFAULT_LOCALE


def format_price(amount: Decimal, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """`amount` in `currency` (ISO 4217) as `locale` writes it."""
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    whole = amount == amount.to_integral_value()
    if whole:
        # "¤#,##0.00" → "¤#,##0": €12, not €12.00; cents stay when there are any.
        pattern = pattern.replace(".00", "")
    return format_currency(
        amount, currency, format=pattern, locale=locale, currency_digits=not whole
    )
