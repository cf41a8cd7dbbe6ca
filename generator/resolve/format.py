"""Values formatted for readers, with Babel (US English, Associated Press conventions).

334000 -> "334,000"; 60 (percent) -> "60%"; 1.2e9 USD -> "$1.2 billion";
2023-10-05 -> "Oct. 5, 2023"; a derived 200400 -> "about 200,000" (3 significant digits unless the
fact sets ``precision``).
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from functools import lru_cache
from typing import Any

from babel.dates import format_date
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
)

from generator.limits import MAX_MAGNITUDE
from generator.load.model import Fact

LOCALE = "en_US"
DERIVED_PRECISION = 3
# AP style abbreviates these months when a day is given and spells out the rest.
_AP_MONTHS = {1: "Jan.", 2: "Feb.", 8: "Aug.", 9: "Sept.", 10: "Oct.", 11: "Nov.", 12: "Dec."}


def ap_date(day: dt.date) -> str:
    """``Oct. 5, 2023``; ``May 5, 2023``."""
    month = _AP_MONTHS.get(day.month) or format_date(day, "MMMM", locale=LOCALE)
    return f"{month} {day.day}, {day.year}"


# The time of day given to a date that has none (content gives days, not times): noon in the
# site's time zone reads as the same day for every reader within eleven hours of it, where
# midnight UTC read as the day before all over the Americas.
DAY_TIME = dt.time(12)


def day_stamp(day: dt.date, zone: str = "UTC") -> str:
    """``2023-10-05T12:00:00-04:00``: a date as RFC 3339 / ISO 8601 with its time zone, for
    feeds and structured data. ``zone`` is an IANA name (the site's ``extra.time_zone``,
    checked when the site is configured); an unknown one is read as UTC."""
    when = dt.datetime.combine(day, DAY_TIME, tzinfo=time_zone(zone) or dt.UTC)
    return when.isoformat().replace("+00:00", "Z")


@lru_cache(maxsize=64)
def time_zone(name: str) -> dt.tzinfo | None:
    """The zone of an IANA name (``America/New_York``), None when there is none."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def month_year(year: int, month: int) -> str:
    """``August 2023``: AP spells the month out when no day is given."""
    return format_date(dt.date(year, month, 1), "MMMM y", locale=LOCALE)


@lru_cache(maxsize=4096)
def format_period(text: str | None) -> str:
    """An ``as_of`` value for readers: ``2023``, ``August 2023``, ``Jan. 2023 to Oct. 5, 2023``.
    Never raises."""
    if not text:
        return ""
    try:
        return " to ".join(_format_point(part) for part in text.split("/"))
    except ValueError:  # not a real date (check says so at its line): shown as written
        return text


def _format_point(part: str) -> str:
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) == 1:
        return str(pieces[0])
    if len(pieces) == 2:
        return month_year(pieces[0], pieces[1])
    return ap_date(dt.date(*pieces))


def round_significant(value: float, digits: int) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    magnitude = math.floor(math.log10(abs(value)))
    return round(value, digits - 1 - magnitude)


def _decimals(value: float) -> int:
    """Fraction digits needed to show ``value`` as written (at most 6)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def _number(value: float) -> str:
    """Plain numbers; round millions and up read as words ("1.2 million")."""
    if abs(value) >= 1_000_000:
        for digits in (0, 1, 2):
            compact = format_compact_decimal(value, format_type="long", locale=LOCALE,
                                             fraction_digits=digits)
            if _compact_exact(value, digits):
                return compact
    decimals = _decimals(value)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)


def _compact_exact(value: float, digits: int) -> bool:
    scale = 10 ** (3 * int(math.log10(abs(value)) // 3))
    shown = round(value / scale, digits)
    return math.isclose(shown * scale, value, rel_tol=1e-9)


def format_number(fact: Fact, value: Any) -> str:
    """The bare value, no qualifier: ``334,000``, ``60%``, ``$1.2 billion``, ``Oct. 5, 2023``.

    Never raises: ``check`` refuses numbers beyond ±MAX_MAGNITUDE, NaN and infinities (at
    their line), so those are only met in a preview of content with errors, where they are
    written plainly instead of stopping the preview."""
    if isinstance(value, dt.date):
        return ap_date(value)
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not _in_range(value):
        return _plainly(value)
    if value == 0:
        value = 0  # -0.0 reads as "0", not "-0"
    try:
        # A fact is shown wherever it is cited, in tables and in charts: Babel is slow enough
        # that formatting each distinct value once matters on a big site.
        return _format_value(fact.type, fact.currency, fact.is_derived, fact.precision, value)
    except (ArithmeticError, ValueError, TypeError, KeyError):  # e.g. an unknown currency code
        return _plainly(value)


def _in_range(value: float) -> bool:
    if isinstance(value, int):  # no float conversion: a 5,000-digit integer overflows it
        return -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE
    return math.isfinite(value) and abs(value) <= MAX_MAGNITUDE


def _plainly(value: float) -> str:
    """A number the formatters do not take, as Python writes it (``1e+300``, ``nan``)."""
    try:
        return f"{float(value):.6g}"
    except OverflowError:
        return "-inf" if value < 0 else "inf"


@lru_cache(maxsize=65536)
def _format_value(kind: str, currency: str | None, derived: bool, precision: int | None,
                  value: float) -> str:
    if derived or precision:
        value = round_significant(float(value), precision or DERIVED_PRECISION)
    if kind == "percent":
        decimals = _decimals(value)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(value / 100, format=pattern, locale=LOCALE)
    if kind == "currency":
        code = currency or "USD"
        if abs(value) >= 1_000_000:  # -$1.2 billion, as format_currency writes -$1,850
            sign = "-" if value < 0 else ""
            return sign + get_currency_symbol(code, LOCALE) + _number(abs(value))
        decimals = 0 if float(value).is_integer() else 2
        pattern = "¤#,##0" + ("." + "0" * decimals if decimals else "")
        return format_currency(value, code, format=pattern, locale=LOCALE, currency_digits=False)
    if kind == "count":
        value = round(value)
    return _number(value)


def qualifier(fact: Fact) -> str:
    """The hedge shown before the value; derived values are always approximate."""
    if fact.qualifier:
        return "" if fact.qualifier == "exactly" else fact.qualifier
    return "about" if fact.is_derived else ""


def format_fact(fact: Fact, value: Any) -> str:
    """The value as prose shows it: ``more than 31,000``, ``about 200,000``."""
    hedge = qualifier(fact)
    number = format_number(fact, value)
    return f"{hedge} {number}" if hedge else number


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
