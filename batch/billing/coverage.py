"""Billed coverage (SPEC §3 R3): how many units of a module a customer has been invoiced for,
day by day, and what is left to bill.

Coverage is a set of day intervals with a unit count, ``(start, end, units)`` with both ends
included; several intervals may overlap (their units add up). Pure functions, no I/O.

>>> from datetime import date as d
>>> active = [(d(2026, 11, 15), None, 1)]  # one licence bought 15/11, open-ended
>>> billed = [(d(2026, 11, 15), d(2026, 12, 31), 1)]
>>> [(s.start, s.end, s.to_bill) for s in segments(active, billed, d(2026, 10, 1), d(2027, 3, 31)) if s.to_bill]
[(datetime.date(2027, 1, 1), datetime.date(2027, 1, 31), 1), (datetime.date(2027, 2, 1), datetime.date(2027, 2, 28), 1), (datetime.date(2027, 3, 1), datetime.date(2027, 3, 31), 1)]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

from .calendar import month_end

ONE_DAY = timedelta(days=1)

Interval = tuple[date, date | None, int]  # start, end (None: open), units


@dataclass(frozen=True)
class Segment:
    """A run of days inside one calendar month with constant active and billed units."""

    start: date
    end: date
    active: int  # units active on each of these days
    billed: int  # units already invoiced for each of these days

    @property
    def to_bill(self) -> int:
        return max(self.active - self.billed, 0)

    @property
    def over_billed(self) -> int:
        """Units invoiced beyond what is active now (a correction downwards)."""
        return max(self.billed - self.active, 0)


def segments(active: Iterable[Interval], billed: Iterable[Interval], first: date, last: date) -> list[Segment]:
    """The days ``first``..``last`` cut where the active or billed units change or a month ends;
    only segments with something active or billed are returned.

    >>> from datetime import date as d
    >>> [(s.start.day, s.end.day, s.active, s.billed) for s in segments(
    ...     [(d(2027, 1, 1), None, 1), (d(2027, 1, 10), d(2027, 1, 20), 2)], [(d(2027, 1, 1), d(2027, 1, 31), 1)],
    ...     d(2027, 1, 1), d(2027, 1, 31))]
    [(1, 9, 1, 1), (10, 20, 3, 1), (21, 31, 1, 1)]
    """
    if last < first:
        return []
    active = [(s, e, u) for s, e, u in active if u and (e is None or e >= first) and s <= last]
    billed = [(s, e, u) for s, e, u in billed if u and (e is None or e >= first) and s <= last]
    cuts = {first, last + ONE_DAY}
    for s, e, _ in active + billed:
        if first < s <= last:
            cuts.add(s)
        if e is not None and first <= e < last:
            cuts.add(e + ONE_DAY)
    day = first.replace(day=1)
    while day <= last:  # month boundaries
        nxt = month_end(day) + ONE_DAY
        if first < nxt <= last:
            cuts.add(nxt)
        day = nxt
    points = sorted(cuts)
    out: list[Segment] = []
    for lo, hi_next in zip(points, points[1:]):
        hi = hi_next - ONE_DAY
        a = sum(u for s, e, u in active if s <= lo and (e is None or e >= hi))
        b = sum(u for s, e, u in billed if s <= lo and (e is None or e >= hi))
        if a or b:
            out.append(Segment(lo, hi, a, b))
    return out


def over_billed_periods(segs: Sequence[Segment]) -> list[tuple[date, date, int]]:
    """Contiguous periods where more units were invoiced than are active now: (start, end, most
    units over), the segments of a correction downwards that a credit note must settle.

    >>> from datetime import date as d
    >>> over_billed_periods([Segment(d(2027, 1, 1), d(2027, 1, 31), 1, 2), Segment(d(2027, 2, 1), d(2027, 2, 28), 0, 2)])
    [(datetime.date(2027, 1, 1), datetime.date(2027, 2, 28), 2)]
    """
    out: list[tuple[date, date, int]] = []
    for s in segs:
        if not s.over_billed:
            continue
        if out and out[-1][1] + ONE_DAY == s.start:
            start, _, units = out[-1]
            out[-1] = (start, s.end, max(units, s.over_billed))
        else:
            out.append((s.start, s.end, s.over_billed))
    return out


def first_active_day(active: Iterable[Interval], month_start: date) -> date | None:
    """R4: the first day of the month starting ``month_start`` on which the module is active.

    >>> from datetime import date as d
    >>> first_active_day([(d(2026, 11, 15), None, 1)], d(2026, 11, 1)), first_active_day([], d(2026, 11, 1))
    (datetime.date(2026, 11, 15), None)
    """
    end = month_end(month_start)
    days = [max(s, month_start) for s, e, u in active if u and s <= end and (e is None or e >= month_start)]
    return min(days) if days else None
