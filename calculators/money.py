"""Money arithmetic and formatting shared by every calculator and the page text."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

__all__ = ["CENT", "cents", "cents_down", "dollars", "percent", "to_json_number", "whole_dollars"]

CENT = Decimal("0.01")


def cents(value: Decimal | int) -> Decimal:
    """Round to the cent, half up (ordinary rounding of a reported amount)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def cents_down(value: Decimal | int) -> Decimal:
    """Round down to the cent: for a contribution that must never exceed a limit."""
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def to_json_number(value: Decimal | int) -> int | float:
    """Whole dollars as int, otherwise a float of the cent-rounded amount."""
    rounded = cents(value)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def dollars(value: Decimal | int | float) -> str:
    """$40,500 for whole dollars, $1,557.69 otherwise; negatives as -$5."""
    amount = cents(Decimal(str(value)))
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}${int(amount):,}"
    return f"{sign}${amount:,.2f}"


def whole_dollars(value: Decimal | int | float) -> str:
    """$253,416: for projections, where cents would be false precision."""
    return dollars(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(value: Decimal | int | float) -> str:
    """10% or 12.5%: no trailing zeros."""
    text = f"{Decimal(str(value)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"
