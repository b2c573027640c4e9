"""`bijstand btw PERIOD` (SPEC §10): the accountant's VAT period, from the register.

Writes ``output/btw-PERIOD/``: ``btw-aangifte.xlsx`` (the grids our sales feed with their documents,
the late intervention lines, the intra-community listing, and the Trends sheet), ``intervat-listing.xml``
(when the period has customers of grids 44 and 48: Intervat takes no listing without customers) and ``ubl-PERIOD.zip`` (the period's UBL files as issued, read from
the run folders). Every document dated in the period counts, whatever run, rerun or credit note issued
it. Running it twice gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .lock import WorkspaceLock
from .problems import BijstandError
from .run import check_witnesses, open_register, write_folder
from .settings import load_settings
from .workspace import OUTPUT


@dataclass
class VatReport:
    period: object  # batch.vat_period.VatPeriod
    folder: Path
    figures: object  # batch.vat_period.PeriodFigures
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def grid_summary(report: VatReport, language: str = "nl") -> str:
    """The terminal line of ``bijstand btw``: every grid of the period with an amount, in the form's order.

    >>> from batch.vat_period import parse_vat_period, period_figures
    >>> from tests.vat_samples import book
    >>> f = period_figures(parse_vat_period("2027Q1"), book())
    >>> grid_summary(VatReport(f.period, Path("output/btw-2027Q1"), f))
    'Btw-periode 2027Q1: 11 document(en), roosters 03 809.75, 44 2459.75, 47 309.75, 48 1200.00, 49 409.75, 54 170.05, 64 21.00 → output/btw-2027Q1'
    """
    from .texts_trends import TEXTS

    f = report.figures
    grids = ", ".join(f"{g} {amount}" for g, amount in f.grids.items() if amount) or TEXTS["btw.no_grids"][language]
    return TEXTS["btw.written"][language].format(period=report.period.label, n=len(f.documents), grids=grids,
                                                 folder=report.folder)


def _ubl_files(workspace: Path, reg, documents) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The UBL of every document: the issued file, read from its run folder, or — for a document
    delivered by e-mail or post (no Peppol address, SPEC §9 L6) — a copy for the accounting package."""
    from .texts_trends import TEXTS

    where = {r[0]: r[1] for r in reg.conn.execute(
        "SELECT d.number, r.label FROM documents d JOIN runs r USING (run_id)")}
    by_post = set()
    import json

    for label in set(where.values()):
        manifest = workspace / OUTPUT / label / "manifest.json"
        if manifest.is_file():
            by_post |= set(json.loads(manifest.read_text(encoding="utf-8")).get("deliver_by_email_or_post", []))
    from .documents.ubl import render_ubl

    files, missing = [], []
    for doc in documents:
        if not doc.number:
            continue
        if doc.number in by_post:  # no Peppol file: a copy for the accounts, without electronic address
            files.append((f"{doc.number}.xml", render_ubl(doc, for_peppol=False)))
            continue
        path = workspace / OUTPUT / where[doc.number] / "peppol" / f"{doc.number}.xml"
        if path.is_file():
            files.append((path.name, path.read_bytes()))
        else:
            missing.append(TEXTS["btw.missing_ubl"]["nl"].format(number=doc.number, folder=f"output/{where[doc.number]}"))
    return files, missing


def write_vat_period(workspace: Path, text: str) -> VatReport:
    """``bijstand btw PERIOD``: see the module docstring."""
    from .documents.intervat import FILE_NAME, IntervatError, render_intervat_listing
    from .documents.trends_sheet import trends_sheet
    from .documents.ubl_zip import render_ubl_zip, zip_name
    from .documents.vat_workbook import render_vat_workbook
    from .texts_trends import TEXTS
    from .vat_period import parse_vat_period, period_figures

    workspace = Path(workspace)
    settings = load_settings(workspace)
    period = parse_vat_period(text, filer=settings.vat.period)
    with WorkspaceLock(workspace, f"btw {period.label}"), open_register(workspace) as reg:
        check_witnesses(workspace, reg)
        documents = reg.documents()
        figures = period_figures(period, documents)
        ubl, missing = _ubl_files(workspace, reg, figures.documents)
        deliveries = [dict(r) for r in reg.conn.execute("SELECT * FROM deliveries ORDER BY delivery_id")]
        from .payments.book import customer_credits, payments_in, statuses

        payments = payments_in(reg, period.first, period.last)  # SPEC §12 P5
        open_at_end = statuses(reg, period.last)
        credits = customer_credits(reg)
    language = settings.ui.language
    extra = []
    try:
        from . import frames
        from .inbox.reader import read_tariffs
        from .trends import trends

        tariffs, _ = read_tariffs(workspace, settings)
        extra.append(trends_sheet(trends(frames.register(workspace), tariffs, period.last), language))
    except BijstandError:
        raise
    from .documents.delivery_sheet import delivery_rows, delivery_sheet

    rows = delivery_rows(figures.documents, deliveries, settings, language)
    extra.append(lambda book, _figures, _L: delivery_sheet(book, rows, language))
    from .payments.open_items_workbook import labeller as payments_labeller
    from .payments.open_items_workbook import open_items_sheet, payments_sheet

    P = payments_labeller(language)
    extra.append(lambda book, _f, _L: payments_sheet(book, payments, period.first, period.last, P))
    extra.append(lambda book, _f, _L: open_items_sheet(book, [s for s in open_at_end if s.issue_date <= period.last],
                                                       credits, period.last, P))
    files = {"btw-aangifte.xlsx": render_vat_workbook(figures, settings.seller, language, extra_sheets=extra)}
    warnings = list(missing)
    # SPEC §10: the Intervat listing of the period. Intervat's schema (NewICO-in v0.9: ClientsNbr is a
    # positiveInteger, at least one IntraClient) takes no listing without customers, so a period without
    # customers of grids 44 and 48 gets none (the IC-opgave sheet says so); a listing the schema would
    # refuse is not written either, and the terminal says why.
    if figures.listing:
        try:
            files[FILE_NAME] = render_intervat_listing(figures.listing, figures.period, settings.seller)
        except IntervatError as exc:
            warnings.append(TEXTS["btw.no_listing"]["nl"].format(why=exc))
    files[zip_name(period)] = render_ubl_zip(ubl)
    folder, _ = write_folder(workspace / OUTPUT, period.folder, files, replace_existing=True)
    return VatReport(period, folder, figures, sorted(files), warnings)
