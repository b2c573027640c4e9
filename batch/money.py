"""Money: conversion of cell values to Decimal and the one rounding rule.

Every amount in bijstand is a :class:`decimal.Decimal`. Values enter once, through
:func:`to_decimal`, and are rounded only by :func:`cents`, where SPEC says so.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up (away from zero on a tie), as Belgian invoices do.

    >>> cents(Decimal("18.745"))
    Decimal('18.75')
    >>> cents(Decimal("-0.005"))
    Decimal('-0.01')
    >>> cents(Decimal("24"))
    Decimal('24.00')
    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Convert a cell value to Decimal through its text, never through binary float arithmetic.

    >>> to_decimal(0.1)
    Decimal('0.1')
    >>> to_decimal(45)
    Decimal('45')
    >>> to_decimal("12.50")
    Decimal('12.50')
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(f"not a number: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr gives the shortest text that round-trips: 0.1 -> "0.1", not 0.1000000000000000055...
        return Decimal(repr(value))
    return Decimal(str(value))


def fmt_plain(value: Decimal) -> str:
    """Two decimals with a dot, for CSV and XML.

    >>> fmt_plain(Decimal("1234.5"))
    '1234.50'
    """
    return f"{cents(value):.2f}"
