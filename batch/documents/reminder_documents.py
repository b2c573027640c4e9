"""The reminder's files (SPEC §12 P4): its workbook and its PDF/A-3b, the layout of
:mod:`.reminder_layout` written by the writers every document shares
(:func:`.invoice_xlsx.render_layout_xlsx`, :func:`.invoice_pdf.render_layout_pdf`).

The same reminder gives the same bytes; the creation date of both files is its issue date.
A reminder has no UBL: it is not an invoice, and it goes by e-mail or post (``bijstand send``).
"""

from __future__ import annotations

from typing import NamedTuple

from ..model import Reminder
from .invoice_pdf import render_layout_pdf
from .invoice_xlsx import render_layout_xlsx
from .reminder_layout import reminder_layout


class ReminderFiles(NamedTuple):
    """The files of one reminder: ``<stem>.xlsx`` and ``<stem>.pdf``."""

    stem: str
    xlsx: bytes
    pdf: bytes


def reminder_stem(reminder: Reminder) -> str:
    """The file name without extension: the number (``H2027-00001``), ``concept-<customer>`` on a draft.

    >>> from dataclasses import replace
    >>> from datetime import date
    >>> from batch.model import Party
    >>> r = Reminder(None, date(2027, 3, 1), date(2027, 3, 11), 1, "nl", "nl", Party("S"), Party("B"), "K0001",
    ...              (), 0, 0, 0, 0)
    >>> reminder_stem(r), reminder_stem(replace(r, number="H2027/00001"))
    ('concept-K0001', 'H2027-00001')
    """
    return (reminder.number or f"concept-{reminder.customer_id}").replace("/", "-")


def render_reminder_xlsx(reminder: Reminder, plain: bool = False) -> bytes:
    """The reminder as an xlsx workbook: a sheet per version, the legal version first.
    ``plain=True`` writes the same bytes through xlsxwriter cell by cell (the reference).
    Raises ValueError as :func:`.reminder_layout.check_reminder`."""
    return render_layout_xlsx(reminder_layout(reminder), plain)


def render_reminder_pdf(reminder: Reminder) -> bytes:
    """The reminder as a PDF/A-3b: the legal version, then its translation from a new page.
    Raises ValueError as :func:`.reminder_layout.check_reminder`."""
    return render_layout_pdf(reminder_layout(reminder))


def render_reminder_files(reminder: Reminder) -> ReminderFiles:
    """Stem, workbook and PDF of ``reminder``, laid out once."""
    layout = reminder_layout(reminder)
    return ReminderFiles(reminder_stem(reminder), render_layout_xlsx(layout), render_layout_pdf(layout))
