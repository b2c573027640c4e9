"""Calendar arithmetic for billing: quarters, months, started months.

>>> quarter_bounds("2027Q1")
(datetime.date(2027, 1, 1), datetime.date(2027, 3, 31))
>>> days_in_month(date(2028, 2, 10))
29
>>> started_months(date(2026, 11, 20), date(2026, 12, 9))
1
>>> started_months(date(2026, 11, 20), date(2026, 12, 21))
2
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

QUARTER_RE = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_quarter(text: str) -> tuple[int, int]:
    """``2027Q1`` → (2027, 1); ValueError with the expected form otherwise."""
    m = QUARTER_RE.match(str(text).strip())
    if not m:
        raise ValueError(f"{text!r} is not a quarter — write it like 2027Q1")
    year, q = int(m.group(1)), int(m.group(2))
    if not 2000 <= year <= 2200:
        raise ValueError(f"{text!r}: year {year} is out of range")
    return year, q


def quarter_label(year: int, q: int) -> str:
    return f"{year}Q{q}"


def quarter_bounds(text: str) -> tuple[date, date]:
    """First and last day of a run's period: a quarter (``2027Q1``) or a month (``2027-01``, the
    interventions-only runs of SPEC §9 L7).

    >>> quarter_bounds("2027-02")
    (datetime.date(2027, 2, 1), datetime.date(2027, 2, 28))
    """
    if is_month(text):
        year, month = int(text[:4]), int(text[5:7])
        start = date(year, month, 1)
        return start, month_end(start)
    year, q = parse_quarter(text)
    start = date(year, 3 * (q - 1) + 1, 1)
    end = start + relativedelta(months=3) - timedelta(days=1)
    return start, end


def is_month(text: str) -> bool:
    """Whether a run's period is a month (``2027-01``) rather than a quarter.

    >>> is_month("2027-01"), is_month("2027Q1")
    (True, False)
    """
    return bool(MONTH_RE.match(str(text).strip()))


def parse_month(text: str) -> str:
    """``2027-01`` (also ``2027-1``) → ``2027-01``; ValueError with the expected form otherwise."""
    m = re.match(r"^(\d{4})-(\d{1,2})$", str(text).strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2200:
        raise ValueError(f"{text!r} is not a month — write it like 2027-01")
    return f"{int(m.group(1))}-{int(m.group(2)):02d}"


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def month_end(day: date) -> date:
    return day.replace(day=days_in_month(day))


def months_between(start: date, end: date):
    """Yield (segment_start, segment_end) per calendar month covering start..end inclusive."""
    cur = start
    while cur <= end:
        seg_end = min(month_end(cur), end)
        yield cur, seg_end
        cur = seg_end + timedelta(days=1)


def started_months(since: date, until: date) -> int:
    """Months from ``since`` up to ``until``, a started month counting whole, at least 1."""
    if until <= since:
        return 1
    delta = relativedelta(until, since)
    months = delta.years * 12 + delta.months
    if delta.days > 0:
        months += 1
    return max(months, 1)
