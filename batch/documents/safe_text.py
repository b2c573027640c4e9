"""Text that is safe in the files bijstand writes: no control characters (XML forbids most of them,
and a spreadsheet shows them as garbage), and no formula injection in CSV (SPEC §8 T10)."""

from __future__ import annotations

import re

# C0/C1 control characters (tab, LF and CR stay), surrogates and the non-characters XML forbids
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# a spreadsheet reads a cell starting with one of these as a formula (OWASP: CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def without_controls(text: str) -> str:
    """``text`` without control characters.

    >>> without_controls("Juwelier\\x00 Peeters\\x1b")
    'Juwelier Peeters'
    """
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def csv_text(text: str) -> str:
    """A text field of a CSV file: control characters removed, and a leading ``'`` when it would
    start a formula, so that a spreadsheet shows it as text (OWASP's rule).

    >>> csv_text('=HYPERLINK("http://x")'), csv_text("+1+cmd|' /C calc'!A0"), csv_text("@SUM(A1)")
    ('\\'=HYPERLINK("http://x")', "'+1+cmd|' /C calc'!A0", "'@SUM(A1)")
    >>> csv_text("Juwelier\\x07 Aerts"), csv_text("-5 min"), csv_text("K1001")
    ('Juwelier Aerts', "'-5 min", 'K1001')
    """
    text = without_controls(text)
    return "'" + text if text.startswith(FORMULA_START) else text
