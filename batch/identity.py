"""Identities (SPEC §8 T1): when two written identifiers are the same customer, module or
intervention.

Customer numbers, module codes and intervention numbers are compared by their :func:`key`:
Unicode NFKC (full-width ``Ｋ１００１`` is ``K1001``), trimmed, case-folded. A customer number
made only of digits also drops its leading zeros (Excel turns ``01001`` into ``1001``): the
reader accepts that with a warning when it is unambiguous. An identifier that still holds a
letter outside ASCII after NFKC (a Cyrillic ``К`` that looks like a ``K``) is refused on its cell
by :func:`foreign_letters`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=262144)
def normal(text: str) -> str:
    """The identifier as it should be written: NFKC, inner runs of space made one, trimmed.

    >>> normal("  Ｋ１００１ "), normal("K 1001")
    ('K1001', 'K 1001')
    """
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


@lru_cache(maxsize=262144)
def key(text: str) -> str:
    """The comparison key of an identifier: NFKC, trimmed, case-folded.

    >>> key("k1001") == key("K1001") == key("Ｋ１００１")
    True
    >>> key("01001"), key("1001")
    ('01001', '1001')
    """
    return normal(text).casefold()


@lru_cache(maxsize=262144)
def customer_key(text: str) -> str:
    """The key of a customer number: :func:`key`, and digits without their leading zeros.

    >>> customer_key("01001"), customer_key("1001"), customer_key("K01001"), customer_key("000")
    ('1001', '1001', 'k01001', '0')
    """
    k = key(text)
    if k.isascii() and k.isdigit():
        return k.lstrip("0") or "0"
    return k


def foreign_letters(text: str) -> str:
    """The letters of an identifier that are not ASCII after NFKC (look-alikes of Latin letters),
    or "" when there are none.

    >>> foreign_letters("К1001")  # a Cyrillic К
    'К'
    >>> foreign_letters("Ｋ１００１"), foreign_letters("K-1001/B")
    ('', '')
    """
    return "".join(ch for ch in normal(text) if not ch.isascii() and ch.isalpha())


def letters_named(text: str) -> str:
    """The Unicode names of the letters :func:`foreign_letters` found, for the message.

    >>> letters_named("К")
    'К (CYRILLIC CAPITAL LETTER KA)'
    """
    return ", ".join(f"{ch} ({unicodedata.name(ch, 'U+%04X' % ord(ch))})" for ch in text)


# Cyrillic and Greek letters that look like Latin ones (a subset of Unicode's confusables.txt:
# the letters a keyboard switched to another layout types in place of A, B, C, E, H, K, …).
_LOOKALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУԚԜаеіјорсухѕһԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧον",
    "ABESIJKMHOPCTXYQWaeijopcyxshdqwABEZHIKMNOPTYXov",
)


def ascii_lookalike(text: str) -> str | None:
    """The ASCII identifier that ``text`` looks like (Cyrillic/Greek look-alikes replaced, accents
    dropped), or None when it holds other letters; for "did you mean" and to know which customer
    a mistyped row belongs to.

    >>> ascii_lookalike("К1001"), ascii_lookalike("Kassa-é"), ascii_lookalike("K1001"), ascii_lookalike("客1")
    ('K1001', 'Kassa-e', 'K1001', None)
    """
    mapped = normal(text).translate(_LOOKALIKES)
    if not mapped.isascii():
        mapped = "".join(ch for ch in unicodedata.normalize("NFKD", mapped) if not unicodedata.combining(ch))
    return mapped if mapped.isascii() else None
