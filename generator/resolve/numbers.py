"""Number formatting for charts: the prose's own formatter (generator.resolve.format), so readers
see one number written one way in a sentence, a hover label and a data table.
"""

from __future__ import annotations

from typing import Any

from generator.load.model import Fact
from generator.resolve.format import LOCALE, format_fact, format_number

__all__ = ["AXIS_FORMAT", "LOCALE", "display", "fact_display"]

# Plotly (d3-format) tick formats that agree with the prose's formatting for each type.
AXIS_FORMAT = {"count": ",d", "number": ",~r", "percent": ",~r", "currency": ",~r"}


def fact_display(fact: Fact, value: Any) -> str:
    """A fact's value exactly as the prose shows it: ``more than 31,000``, ``about 200,000``."""
    return format_fact(fact, value)


def display(value: float | int, number_format: str, *, currency: str | None = None) -> str:
    """A CSV value (no fact behind it), formatted by the same rules as a fact of that type."""
    shape = Fact(id="csv_value", statement="", type=number_format, loc=None,  # type: ignore[arg-type]
                 currency=currency)
    return format_number(shape, value)
