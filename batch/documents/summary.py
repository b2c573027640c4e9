"""The accountant's summary workbook ``overzicht.xlsx`` of one run, and the rows of
``journal.csv`` / ``lines.csv`` (SPEC §5).

The figures are computed in :class:`~decimal.Decimal` by the small functions below
(:func:`journal_rows`, :func:`line_rows`, :func:`ledger_totals`, :func:`journal_entry`,
:func:`vat_grids`, :func:`intra_community_rows`, :func:`status_counts`); :func:`render_summary`
only lays them out. Amounts become binary floats only at the very edge, when a cell is
written. Credit notes carry positive amounts in the model (UBL semantics); here they are
signed negative, so that every column adds up to the run's effect on the books.

>>> from tests.samples import sample_invoice
>>> inv = sample_invoice("S")
>>> row = journal_rows(_result([inv, sample_invoice("S", number="2027-000002",
...                                                  document_type="credit_note")]))[1]
>>> row["document_type"], row["net"], row["vat"], row["total"]
('credit_note', Decimal('-309.75'), Decimal('-65.05'), Decimal('-374.80'))
"""

from __future__ import annotations

import io
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_range

from batch.model import STATUSES, Invoice, RunResult
from batch.money import ZERO, cents

from .xlsx_direct import text_element

# --- labels ---------------------------------------------------------------------------------
# Sheet names stay Dutch (the accountant's vocabulary, SPEC §5); titles and column headers
# follow ``invoice.language``.

SHEETS = ("Overzicht", "Verkoopdagboek", "Lijnen", "Grootboek", "BTW-aangifte", "Klanten",
          "Interventies", "Problemen", "Invoer", "Verzending")  # Verzending: issued runs only (not drafts)

_LABELS: dict[str, tuple[str, str, str]] = {
    # key: (nl, fr, en)
    "summary": ("Overzicht van de facturatierun", "Aperçu du lot de facturation", "Billing run summary"),
    "item": ("Omschrijving", "Description", "Item"),
    "value": ("Waarde", "Valeur", "Value"),
    "quarter": ("Kwartaal", "Trimestre", "Quarter"),
    "run": ("Run", "Lot", "Run"),
    "run_at": ("Uitgevoerd op", "Exécuté le", "Run at"),
    "dry_run": ("Proefrun (concept, zonder nummers)", "Essai (brouillon, sans numéros)",
                "Dry run (draft, no numbers)"),
    "yes": ("ja", "oui", "yes"),
    "no": ("nee", "non", "no"),
    "first_date": ("Eerste factuurdatum", "Première date de facture", "First invoice date"),
    "last_date": ("Laatste factuurdatum", "Dernière date de facture", "Last invoice date"),
    "first_number": ("Eerste nummer", "Premier numéro", "First number"),
    "last_number": ("Laatste nummer", "Dernier numéro", "Last number"),
    "n_invoices": ("Aantal facturen", "Nombre de factures", "Number of invoices"),
    "n_credit_notes": ("Aantal creditnota's", "Nombre de notes de crédit", "Number of credit notes"),
    "kind_fee": ("Abonnementen (bijstand)", "Abonnements (assistance)", "Support fees"),
    "kind_regie": ("Regie (interventies)", "Régie (interventions)", "Time and materials"),
    "kind_upgrade": ("Upgrades", "Mises à niveau", "Upgrades"),
    "net_total": ("Totaal excl. btw", "Total hors TVA", "Total excl. VAT"),
    "vat_total": ("Btw", "TVA", "VAT"),
    "gross_total": ("Totaal incl. btw", "Total TVA comprise", "Total incl. VAT"),
    "n_customers_billed": ("Klanten gefactureerd", "Clients facturés", "Customers invoiced"),
    "n_held": ("Klanten tegengehouden", "Clients retenus", "Customers held back"),
    "n_errors": ("Fouten", "Erreurs", "Errors"),
    "n_warnings": ("Waarschuwingen", "Avertissements", "Warnings"),
    "n_interventions": ("Interventies in de invoer", "Interventions en entrée", "Input interventions"),
    "balanced": ("Boeking in evenwicht", "Écriture équilibrée", "Journal entry balanced"),
    "by_kind": ("Omzet per soort", "Chiffre d'affaires par type", "Revenue by kind"),
    "by_module": ("Abonnementen per module", "Abonnements par module", "Fees by module"),
    "top_customers": ("Top 10 klanten", "Top 10 clients", "Top 10 customers"),
    "kind": ("Soort", "Type", "Kind"),
    "module": ("Module", "Module", "Module"),
    "customer": ("Klant", "Client", "Customer"),
    # journal
    "journal": ("Verkoopdagboek", "Journal des ventes", "Sales journal"),
    "document_type": ("Soort document", "Type de document", "Document type"),
    "invoice": ("factuur", "facture", "invoice"),
    "credit_note": ("creditnota", "note de crédit", "credit note"),
    "number": ("Nummer", "Numéro", "Number"),
    "date": ("Datum", "Date", "Date"),
    "due_date": ("Vervaldag", "Échéance", "Due date"),
    "customer_id": ("Klantnummer", "N° client", "Customer ID"),
    "customer_name": ("Naam", "Nom", "Name"),
    "vat_number": ("Btw-nummer", "N° TVA", "VAT number"),
    "country": ("Land", "Pays", "Country"),
    "vat_category": ("Btw-categorie", "Catégorie TVA", "VAT category"),
    "net": ("Excl. btw", "Hors TVA", "Net"),
    "vat": ("Btw", "TVA", "VAT"),
    "total": ("Incl. btw", "TVA comprise", "Total"),
    "structured_reference": ("Gestructureerde mededeling", "Communication structurée",
                             "Structured reference"),
    "credited_number": ("Crediteert factuur", "Crédite la facture", "Credits invoice"),
    "file": ("Bestand", "Fichier", "File"),
    "draft": ("(concept)", "(brouillon)", "(draft)"),
    # lines
    "lines": ("Factuurlijnen", "Lignes de facture", "Invoice lines"),
    "gl_account": ("Rekening", "Compte", "GL account"),
    "intervention_id": ("Interventie", "Intervention", "Intervention"),
    "period_start": ("Periode van", "Période du", "Period from"),
    "period_end": ("Periode tot", "Période au", "Period to"),
    "quantity": ("Aantal", "Quantité", "Quantity"),
    "unit_price": ("Eenheidsprijs", "Prix unitaire", "Unit price"),
    "amount": ("Bedrag", "Montant", "Amount"),
    "description": ("Omschrijving", "Description", "Description"),
    "deadline": ("Uiterste factuurdatum", "Date limite de facturation", "Invoicing deadline"),
    "late": ("Te laat", "En retard", "Late"),
    # ledger
    "ledger": ("Grootboek", "Grand livre", "General ledger"),
    "per_account": ("Totalen per rekening en btw-categorie", "Totaux par compte et catégorie TVA",
                    "Totals per account and VAT category"),
    "per_category": ("Totalen per btw-categorie", "Totaux par catégorie TVA", "Totals per VAT category"),
    "entry": ("Boeking van de run", "Écriture du lot", "Journal entry of the run"),
    "account_name": ("Rekening omschrijving", "Libellé du compte", "Account name"),
    "debit": ("Debet", "Débit", "Debit"),
    "credit": ("Credit", "Crédit", "Credit"),
    "acc_receivables": ("Handelsdebiteuren", "Créances commerciales", "Trade receivables"),
    "acc_vat_payable": ("Te betalen btw", "TVA à payer", "VAT payable"),
    "acc_fee": ("Omzet abonnementen", "Ventes abonnements", "Revenue, support fees"),
    "acc_regie": ("Omzet regie", "Ventes régie", "Revenue, time and materials"),
    "acc_upgrade": ("Omzet upgrades", "Ventes mises à niveau", "Revenue, upgrades"),
    "acc_other": ("Omzet", "Ventes", "Revenue"),
    "on_invoices": ("facturen", "factures", "invoices"),
    "on_credit_notes": ("creditnota's", "notes de crédit", "credit notes"),
    # vat return
    "vat_return": ("Btw-aangifte: roosters die deze run voedt", "Déclaration TVA : grilles alimentées par ce lot",
                   "VAT return: grids this run feeds"),
    "grid": ("Rooster", "Grille", "Grid"),
    "grid_00": ("Handelingen aan 0 %", "Opérations à 0 %", "Operations at 0 %"),
    "grid_01": ("Handelingen aan 6 %", "Opérations à 6 %", "Operations at 6 %"),
    "grid_02": ("Handelingen aan 12 %", "Opérations à 12 %", "Operations at 12 %"),
    "grid_03": ("Handelingen aan 21 %", "Opérations à 21 %", "Operations at 21 %"),
    "grid_44": ("Diensten aan EU-btw-plichtigen (btw verlegd)",
                "Services à des assujettis UE (autoliquidation)",
                "Services to EU VAT-registered customers (reverse charge)"),
    "grid_47": ("Andere vrijgestelde handelingen en handelingen buiten de EU",
                "Autres opérations exemptées et opérations hors UE",
                "Other exempt operations and operations outside the EU"),
    "grid_48": ("Creditnota's op handelingen van roosters 44 en 46",
                "Notes de crédit sur opérations des grilles 44 et 46",
                "Credit notes on operations of grids 44 and 46"),
    "grid_49": ("Creditnota's op andere handelingen", "Notes de crédit sur autres opérations",
                "Credit notes on other operations"),
    "grid_54": ("Verschuldigde btw op handelingen van roosters 01, 02 en 03",
                "TVA due sur opérations des grilles 01, 02 et 03",
                "VAT due on operations of grids 01, 02 and 03"),
    "grid_64": ("Te regulariseren btw op uitgereikte creditnota's",
                "TVA à régulariser sur notes de crédit émises",
                "VAT on credit notes issued, to regularise"),
    "intra_listing": ("Intracommunautaire opgave (klanten van rooster 44)",
                      "Relevé intracommunautaire (clients de la grille 44)",
                      "Intra-community listing (customers of grid 44)"),
    "code": ("Code", "Code", "Code"),
    "base": ("Maatstaf", "Base", "Base"),
    # customers
    "customers": ("Klanten", "Clients", "Customers"),
    "agreement": ("Overeenkomst", "Contrat", "Agreement"),
    "billed_through": ("Gefactureerd tot", "Facturé jusqu'au", "Billed through"),
    "fees": ("Abonnement", "Abonnement", "Fees"),
    "regie": ("Regie", "Régie", "Time and materials"),
    "upgrades": ("Upgrades", "Mises à niveau", "Upgrades"),
    "total_incl": ("Totaal incl. btw", "Total TVA comprise", "Total incl. VAT"),
    "held": ("Tegengehouden", "Retenu", "Held back"),
    "reason": ("Reden", "Motif", "Reason"),
    # interventions
    "interventions": ("Interventies: afstemming", "Interventions : rapprochement",
                      "Interventions: reconciliation"),
    "source": ("Bron (bestand!blad!rij)", "Source (fichier!feuille!ligne)", "Source (file!sheet!row)"),
    "status": ("Status", "Statut", "Status"),
    "status_text": ("Betekenis", "Signification", "Meaning"),
    "count": ("Aantal", "Nombre", "Count"),
    "per_status": ("Aantal per status", "Nombre par statut", "Count per status"),
    "total_rows": ("Totaal = aantal rijen", "Total = nombre de lignes", "Total = number of rows"),
    # problems
    "problems": ("Problemen en waarschuwingen", "Problèmes et avertissements", "Problems and warnings"),
    "severity": ("Ernst", "Gravité", "Severity"),
    "location": ("Plaats", "Emplacement", "Location"),
    "sheet": ("Blad", "Feuille", "Sheet"),
    "row": ("Rij", "Ligne", "Row"),
    "cell": ("Cel", "Cellule", "Cell"),
    "column": ("Kolom", "Colonne", "Column"),
    "message": ("Probleem", "Problème", "Problem"),
    "fix": ("Oplossing", "Solution", "Fix"),
    "error": ("fout", "erreur", "error"),
    "warning": ("waarschuwing", "avertissement", "warning"),
    "no_problems": ("Geen problemen", "Aucun problème", "No problems"),
    # inputs
    "inputs": ("Invoerbestanden", "Fichiers d'entrée", "Input files"),
    "path": ("Pad", "Chemin", "Path"),
    "sheets": ("Bladen", "Feuilles", "Sheets"),
    "month": ("Maand", "Mois", "Month"),
    "rows": ("Rijen", "Lignes", "Rows"),
    "sha256": ("SHA-256", "SHA-256", "SHA-256"),
    "settings": ("Gebruikte instellingen (bijstand.toml)", "Paramètres utilisés (bijstand.toml)",
                 "Settings used (bijstand.toml)"),
    "setting": ("Instelling", "Paramètre", "Setting"),
    "version": ("Versie", "Version", "Version"),
    "page": ("Pagina", "Page", "Page"),
}

_STATUS_TEXT: dict[str, tuple[str, str, str]] = {
    "billed": ("gefactureerd in deze run", "facturée dans ce lot", "billed in this run"),
    "included": ("inbegrepen in de overeenkomst", "comprise dans le contrat", "included in the agreement"),
    "deferred": ("na de afsluitdatum, volgende run", "après la date limite, lot suivant",
                 "after the cut-off, next run"),
    "before-start": ("voor de start van de facturatie", "avant le début de la facturation",
                     "before the billing start"),
    "held": ("klant tegengehouden door een fout", "client retenu par une erreur",
             "customer held back by an error"),
    "rejected": ("ongeldige rij", "ligne invalide", "invalid row"),
    "duplicate": ("identieke rij al gelezen", "ligne identique déjà lue", "identical row already read"),
    "already-billed": ("al verwerkt in een vorige run", "déjà traitée dans un lot précédent",
                       "handled by an earlier run"),
}

_LANG_INDEX = {"nl": 0, "fr": 1, "en": 2}


def _labeller(language: str):
    i = _LANG_INDEX.get(language, 0)

    def label(key: str) -> str:
        return _LABELS[key][i]

    return label


from .figures import (  # noqa: E402  (the figures this workbook lays out)
    GRIDS, KINDS, EntryLine, by_module, category_totals, intra_community_rows, is_balanced, journal_entry,
    journal_rows, kind_totals, ledger_totals, line_rows, sign, status_counts, top_customers, totals_by_kind,
    vat_grids, _journal, _lines,
)


# --- the workbook ---------------------------------------------------------------------------

MONEY = '#,##0.00 "€"_);[Red]-#,##0.00 "€"_)'  # _) keeps a gap before the next column
QTY = "#,##0.00##_);[Red]-#,##0.00##_)"
DATE = "dd/mm/yyyy"


WIDTH_SAMPLE_ROWS = 2000
DIRECT_ROWS = True  # streamed tables: plain rows written as XML at once (see _Book._direct_row_writer)


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str = "text"  # text | money | qty | date | int | pct
    total: bool = False  # a SUBTOTAL in the table's total row
    width: float | None = None  # fixed width (long free text), wrapped
    wrap: bool = False


class _Book:
    """xlsxwriter workbook with the house formats and a table writer."""

    def __init__(self, target: str, label, title_suffix: str, tmpdir: str):
        # A file, not in_memory: xlsxwriter's constant_memory mode (rows streamed to disk as they
        # are finished) cannot work in memory, and the large sheets need it (see ``streamed``).
        self.wb = xlsxwriter.Workbook(target, {
            "constant_memory": False,
            "tmpdir": tmpdir,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": DATE,
        })
        self.label = label
        self.suffix = title_suffix
        wb = self.wb
        self.f = {
            "text": wb.add_format({"valign": "top", "indent": 1}),
            "wrap": wb.add_format({"valign": "top", "text_wrap": True, "indent": 1}),
            "money": wb.add_format({"num_format": MONEY, "valign": "top"}),
            "qty": wb.add_format({"num_format": QTY, "valign": "top"}),
            "date": wb.add_format({"num_format": DATE, "valign": "top", "align": "left"}),
            "int": wb.add_format({"num_format": "0_)", "valign": "top"}),
            "left_int": wb.add_format({"num_format": "0", "align": "left"}),
            "left_date": wb.add_format({"num_format": DATE, "align": "left"}),
            "pct": wb.add_format({"num_format": '0" %"_)', "valign": "top"}),
            "title": wb.add_format({"bold": True, "font_size": 14}),
            "header": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78",
                                     "valign": "bottom", "border": 1, "border_color": "#1F4E78"}),
            "header_num": wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78",
                                         "valign": "bottom", "border": 1, "border_color": "#1F4E78",
                                         "align": "right", "indent": 1}),
            "subtitle": wb.add_format({"italic": True, "font_color": "#595959"}),
            "section": wb.add_format({"bold": True, "font_size": 11, "font_color": "#1F4E78"}),
            "link": wb.add_format({"font_color": "#0563C1", "underline": 1, "valign": "top", "indent": 1}),
            "ok": wb.add_format({"bold": True, "font_color": "#006100"}),
            "bad": wb.add_format({"bold": True, "font_color": "#9C0006", "bg_color": "#FFC7CE"}),
        }
        self.widths: dict[str, dict[int, float]] = {}

    def sheet(self, name: str, title: str, streamed: bool = False):
        """A new sheet. ``streamed`` sheets keep no cells in memory (constant_memory): every row
        must then be written in order, which :meth:`table` does."""
        self.wb.constant_memory = streamed
        ws = self.wb.add_worksheet(name)
        self.wb.constant_memory = False
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_header(f"&L&\"-,Bold\"{_escape_hf(title)}&R{_escape_hf(self.suffix)}")
        ws.set_footer(f"&L&A&R{self.label('page')} &P / &N")
        ws.hide_gridlines(2)
        ws.write_string(0, 0, title, self.f["title"])
        ws.write_string(1, 0, self.suffix, self.f["subtitle"])
        self.widths[name] = {}
        return ws

    def fit(self, ws, col: int, text_len: float) -> None:
        w = self.widths[ws.name]
        w[col] = max(w.get(col, 0), text_len)

    def cell(self, ws, row: int, col: int, value, kind: str = "text", fmt=None, measure: bool = True) -> None:
        """Write one value by its type (and, if ``measure``, widen the column to show it)."""
        fmt = fmt or self.f.get(kind, self.f["text"])
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
            return
        if kind in ("money", "qty", "pct") or isinstance(value, Decimal):
            ws.write_number(row, col, float(value), fmt)
            if measure:
                shown = f"{value:,.2f} €" if kind == "money" else str(value)
                self.fit(ws, col, len(shown) + 3)
        elif isinstance(value, (date, datetime)):
            ws.write_datetime(row, col, value, fmt)
            if measure:
                self.fit(ws, col, 11)
        elif isinstance(value, bool):
            ws.write_string(row, col, self.label("yes") if value else self.label("no"), fmt)
            if measure:
                self.fit(ws, col, 4)
        elif isinstance(value, int):
            ws.write_number(row, col, value, fmt)
            if measure:
                self.fit(ws, col, len(str(value)) + 3)
        else:
            text = str(value)
            ws.write_string(row, col, text, fmt)
            if measure:
                self.fit(ws, col, max((len(part) for part in text.split("\n")), default=0))

    def table(self, ws, first_row: int, cols: list[Col], rows, name: str,
              totals_label: str | None = None, first_col: int = 0) -> int:
        """Write a proper Excel table (header, banded rows, autofilter, optional total row
        of SUBTOTALs with their Decimal values cached). Returns the row after it.

        On a streamed sheet ``rows`` may be any iterable (a generator keeps a large table out of
        memory): its count and totals are then taken while it is written."""
        last_col = first_col + len(cols) - 1
        streamed = ws.constant_memory
        if not streamed and not isinstance(rows, list):
            rows = list(rows)
        columns = []
        for i, c in enumerate(cols):
            numeric = c.kind in ("money", "qty", "int", "pct")
            columns.append({"header": c.header, "header_format": self.f["header_num" if numeric else "header"],
                            "format": self.f["wrap"] if c.wrap else self.f["text"] if c.kind == "link"
                            else self.f.get(c.kind, self.f["text"])})
            self.fit(ws, first_col + i, len(c.header) + 3)  # room for the filter button
        sums = [ZERO if c.kind in ("money", "qty") else 0 for c in cols]
        if streamed:
            # rows in order: the header now, add_table (which writes the total row) after the data
            for i, spec in enumerate(columns):
                ws.write_string(first_row, first_col + i, spec["header"], spec["header_format"])
        else:
            for i, c in enumerate(cols):
                if c.total:
                    zero = sums[i]
                    sums[i] = sum((r[c.key] or zero for r in rows), zero)
            last_row, options = self._table_options(name, columns, cols, sums, len(rows), totals_label,
                                                    first_row, first_col)
            ws.add_table(first_row, first_col, last_row, last_col, options)
        totalled = [i for i, c in enumerate(cols) if c.total] if streamed else []
        keys = [c.key for c in cols]
        values_of = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
        measured = [self._measured_writer(ws, first_col + i, c) for i, c in enumerate(cols)]
        fast = [self._fast_writer(ws, first_col + i, c) for i, c in enumerate(cols)]
        direct = self._direct_row_writer(ws, first_col, cols) if streamed and DIRECT_ROWS else None
        count = 0
        for r, row in enumerate(rows, start=first_row + 1):
            count += 1
            # column widths are measured on the first rows only: a large table would spend more
            # time measuring than writing (rarer long values are capped at 60 anyway)
            values = values_of(row)
            if count <= WIDTH_SAMPLE_ROWS:
                for write, value in zip(measured, values):
                    write(r, value)
            elif direct is None or not direct(r, values):
                for write, value in zip(fast, values):
                    write(r, value)
            for i in totalled:
                if values[i]:
                    sums[i] += values[i]
        if streamed:
            last_row, options = self._table_options(name, columns, cols, sums, count, totals_label,
                                                    first_row, first_col)
            self._streamed_table(ws, first_row, first_col, last_row, last_col, options, columns)
        for i, c in enumerate(cols):
            if c.width:
                self.widths[ws.name][first_col + i] = min(self.widths[ws.name].get(first_col + i, 0), c.width)
        return last_row + 1

    def _measured_writer(self, ws, col: int, c: Col):
        """``write(row, value)`` for one table column: :meth:`cell` by the value's type, widening
        the column to fit (used on a table's first rows)."""
        fmt = self.f["wrap"] if c.wrap else None
        if c.kind != "link":
            return lambda row, value: self.cell(ws, row, col, value, c.kind, fmt=fmt)

        def write_link(row, value):
            if not isinstance(value, tuple):
                self.cell(ws, row, col, value, c.kind, fmt=fmt)
                return
            target, text = value
            if target:
                ws.write_url(row, col, f"external:{target}", self.f["link"], string=text)
                self.fit(ws, col, len(text))
            else:
                self.cell(ws, row, col, text)

        return write_link

    def _fast_writer(self, ws, col: int, c: Col):
        """``write(row, value)`` for one table column, without measuring: the column's format is
        resolved once and the value type the column normally holds is written straight away;
        any other value goes through :meth:`cell`, so the cells are the same as the measured ones."""
        kind = c.kind
        fmt = self.f["wrap"] if c.wrap else self.f.get(kind, self.f["text"])
        explicit = self.f["wrap"] if c.wrap else None
        cell = self.cell
        # xlsxwriter's undecorated writers behind write_string & co.: they skip the check for
        # A1-notation arguments, a measurable share over millions of cells (the public ones
        # where a version lacks them; the cells are the same)
        write_blank = getattr(ws, "_write_blank", ws.write_blank)
        write_string = getattr(ws, "_write_string", ws.write_string)
        write_number = getattr(ws, "_write_number", ws.write_number)

        def other(row, value):
            cell(ws, row, col, value, kind, fmt=explicit, measure=False)

        if kind in ("money", "qty", "pct"):
            def write(row, value):
                if value.__class__ is Decimal:
                    write_number(row, col, float(value), fmt)
                else:
                    other(row, value)
        elif kind == "date":
            serial = _excel_dates(ws)

            def write(row, value):
                if value.__class__ is date:
                    write_number(row, col, serial(value), fmt)
                else:
                    other(row, value)
        elif kind == "text":
            def write(row, value):
                if value.__class__ is str:
                    if value:
                        write_string(row, col, value, fmt)
                    else:
                        write_blank(row, col, None, fmt)
                else:
                    other(row, value)
        elif kind == "link":
            link_fmt = self.f["link"]

            def write(row, value):
                if value.__class__ is not tuple:
                    other(row, value)
                    return
                target, text = value
                if target:
                    ws.write_url(row, col, f"external:{target}", link_fmt, string=text)
                    self.fit(ws, col, len(text))  # links are always measured (as on the first rows)
                else:
                    cell(ws, row, col, text, measure=False)
        else:
            write = other
        return write

    def _direct_row_writer(self, ws, first_col: int, cols: list[Col]):
        """``write(row, values) -> bool`` for a streamed table: the whole row's XML at once, as
        xlsxwriter's constant_memory mode writes it (inline strings, ``%.16G`` numbers,
        formatted blanks, no spans), straight into the sheet's row file — a tenth of the
        time of a write call per cell. Only rows of plain values (the types the fast writers
        take, links without a target, short texts) are written so; for any other row it
        returns False and writes nothing, and the per-cell writers take the row.
        ``tests/test_summary.py`` proves the bytes equal with and without it."""
        if not hasattr(ws, "_write_single_row") or not hasattr(ws, "_check_dimensions"):
            return None  # an xlsxwriter without these: the per-cell writers do it all
        kinds, heads, formats = [], [], []
        for i, c in enumerate(cols):
            kinds.append(c.kind)
            heads.append(f'<c r="{xl_col_to_name(first_col + i)}')
            formats.append((self.f["wrap"] if c.wrap else self.f.get(c.kind, self.f["text"]),
                            self.f["wrap"] if c.wrap else self.f["text"]))  # (column's, a link without target's)
        # ' s="N"' per column and format, looked up when first written: xlsxwriter numbers the
        # styles in the order cells are written out, and so must this
        styles: list[list[str | None]] = [[None, None] for _ in cols]

        def style(i: int, which: int) -> str:
            text = styles[i][which]
            if text is None:
                text = styles[i][which] = f'" s="{formats[i][which]._get_xf_index()}"'
            return text

        serial = _excel_dates(ws)
        last_col = first_col + len(cols) - 1
        row_info = ws.row_info
        # per column: value -> the cell's XML after its reference (values repeat: statuses,
        # customers, dates, amounts); bounded, since unique texts do not repeat
        tails: list[dict] = [{} for _ in cols]

        def tail(i: int, kind: str, value) -> str | None:
            """The XML of a cell after ``<c r="A5``, or None for a value left to the cell writers."""
            cls = value.__class__
            if value is None:
                return f"{style(i, 0)}/>"
            if kind in ("money", "qty", "pct"):
                return f"{style(i, 0)}><v>{float(value):.16G}</v></c>" if cls is Decimal else None
            if kind == "date":
                return f"{style(i, 0)}><v>{serial(value):.16G}</v></c>" if cls is date else None
            if kind == "int" and (cls is int or cls is Decimal):
                return f"{style(i, 0)}><v>{(value if cls is int else float(value)):.16G}</v></c>"
            if kind == "text" and cls is str:
                return text_tail(style(i, 0), value)
            if kind == "link" and cls is tuple and not value[0] and value[1].__class__ is str:
                return text_tail(style(i, 1), value[1])
            return None

        def text_tail(style: str, text: str) -> str | None:
            if not text:
                return f"{style}/>"
            if len(text) > 8000 or (text.startswith("<r>") and text.endswith("</r>")):
                return None  # long (Excel's limit) or xlsxwriter's rich-string form: per cell
            return f'{style} t="inlineStr"><is>{text_element(text)}</is></c>'

        def write(row: int, values) -> bool:
            if row in row_info:
                return False
            if row > ws.previous_row:
                ws._write_single_row(row)  # xlsxwriter's buffered row goes out first
            number = str(row + 1)
            out = [f'<row r="{number}">']
            for i, value in enumerate(values):
                cache = tails[i]
                try:
                    xml = cache.get(value)
                except TypeError:  # an unhashable value: the cell writers take the row
                    return False
                if xml is None:
                    xml = tail(i, kinds[i], value)
                    if xml is None:
                        return False
                    # a zero is not cached: Decimal("-0.00") == Decimal("0") but it writes "-0"
                    if len(cache) < 50_000 and (value is None or value or value.__class__ is str):
                        cache[value] = xml
                out.append(heads[i])
                out.append(number)
                out.append(xml)
            out.append("</row>")
            if ws._check_dimensions(row, first_col) or ws._check_dimensions(row, last_col):
                return False
            ws.fh.write("".join(out))
            return True

        return write

    @staticmethod
    def _table_options(name: str, columns: list[dict], cols: list[Col], sums: list, count: int,
                       totals_label: str | None, first_row: int, first_col: int) -> tuple[int, dict]:
        """The last row of a table of ``count`` data rows and its add_table options (total row included)."""
        has_total = totals_label is not None and count > 0
        n = max(count, 1)
        for i, c in enumerate(cols):
            if not has_total:
                break
            if c.total:
                # a plain range, not a structured reference: LibreOffice cannot
                # evaluate [Excl. btw]-style references to headers with a dot or space
                col_range = xl_range(first_row + 1, first_col + i, first_row + n, first_col + i)
                columns[i]["total_function"] = f"SUBTOTAL(109,{col_range})"
                columns[i]["total_value"] = float(sums[i])
            elif i == 0:
                columns[i]["total_string"] = totals_label
        options = {
            "name": name,
            "style": "Table Style Medium 2",
            "banded_rows": True,
            "autofilter": True,
            "total_row": has_total,
            "columns": columns,
        }
        return first_row + n + (1 if has_total else 0), options

    @staticmethod
    def _streamed_table(ws, first_row, first_col, last_row, last_col, options, columns) -> None:
        """Declare a table over rows already streamed out (constant_memory).

        xlsxwriter refuses add_table in constant_memory mode because the table writes its header
        and total cells itself. So: the header was written by :meth:`table` before the data; the
        table is declared with constant_memory off for a moment; the cells it put in the row
        buffer are dropped again; the total row is then written, in order, like any other row.
        """
        kept = {row: dict(ws.table[row]) for row in (first_row, last_row) if row in ws.table}
        ws.constant_memory = False
        # add_table also records every cell of the range, to refuse a later overlapping table:
        # millions of (row, col) keys on a large table, hundreds of MB. Nothing can be written
        # above a streamed row again, so the table's cells are checked against the tables before
        # it but not recorded.
        recorded = ws.table_cells
        ws.table_cells = _CheckedNotRecorded(recorded)
        try:
            ws.add_table(first_row, first_col, last_row, last_col, options)
        finally:
            ws.constant_memory = True
            ws.table_cells = recorded
        for row in (first_row, last_row):
            ws.table.pop(row, None)
            if row in kept:
                ws.table[row] = kept[row]
        if options["total_row"]:
            for i, spec in enumerate(columns):
                if "total_function" in spec:
                    ws.write_formula(last_row, first_col + i, spec["total_function"], spec["format"],
                                     spec["total_value"])
                elif "total_string" in spec:
                    ws.write_string(last_row, first_col + i, spec["total_string"], spec["format"])

    def finish_widths(self, ws, cap: float = 60) -> None:
        for col, width in self.widths[ws.name].items():
            ws.set_column(col, col, min(max(width + 1.5, 6), cap))


class _CheckedNotRecorded(dict):
    """A copy of a worksheet's table cells that answers lookups but keeps no new cells."""

    def __setitem__(self, key, value) -> None:
        pass


def _excel_dates(ws):
    """``serial(d)``: the Excel serial number xlsxwriter's ``write_datetime`` stores for the date
    ``d`` on ``ws``, remembered per date (a quarter has few distinct dates, a large book many
    date cells). Writing it with ``write_number`` and the date format gives the same cell."""
    cache: dict[date, float] = {}

    def serial(d: date) -> float:
        number = cache.get(d)
        if number is None:
            number = cache[d] = ws._convert_date_time(d)
        return number

    return serial


def _escape_hf(text: str) -> str:
    return text.replace("&", "&&")


def _parse_run_at(run_at: str) -> datetime:
    try:
        return datetime.fromisoformat(run_at).replace(tzinfo=None)
    except (TypeError, ValueError):
        return datetime(2000, 1, 1)


def render_summary(result: RunResult) -> bytes:
    """The accountant's workbook ``overzicht.xlsx`` of one run, as bytes (deterministic:
    same run result, same bytes)."""
    settings = result.settings
    language = getattr(getattr(settings, "invoice", None), "language", "nl")
    L = _labeller(language)
    run_at = _parse_run_at(result.run_at)
    seller_name = settings.seller.name
    suffix = f"{seller_name} — {L('quarter').lower()} {result.quarter} — {L('run').lower()} {result.label}"
    with tempfile.TemporaryDirectory(prefix="bijstand-summary-") as tmp:
        target = os.path.join(tmp, "overzicht.xlsx")
        _render(_Book(target, L, suffix, tmp), result, L, seller_name, run_at)
        with open(target, "rb") as fh:
            return fh.read()


def _render(book: "_Book", result: RunResult, L, seller_name: str, run_at: datetime) -> None:
    book.wb.set_properties({
        "title": f"{L('summary')} {result.label}",
        "subject": result.quarter,
        "author": seller_name,
        "company": seller_name,
        "created": run_at,
        "comments": f"bijstand {result.version}".strip(),
    })
    book.wb.set_calc_mode("auto")

    journal = _journal(result)
    lines = _lines(result)
    entry = journal_entry(result)
    grids = vat_grids(result)
    counts = status_counts(result)

    _overview(book, result, L, journal, entry, run_at)
    _journal_sheet(book, result, L, journal)
    _lines_sheet(book, L, lines)
    _ledger_sheet(book, result, L, entry)
    _vat_sheet(book, result, L, grids)
    _customers_sheet(book, result, L)
    _interventions_sheet(book, result, L, counts)
    _problems_sheet(book, result, L)
    _inputs_sheet(book, result, L)
    if not result.dry_run and any(inv.number for inv in result.invoices):
        from .delivery_sheet import delivery_rows, delivery_sheet

        language = getattr(getattr(result.settings, "invoice", None), "language", "nl")
        delivery_sheet(book, delivery_rows(result.invoices, result.deliveries, result.settings, language), language)
    book.wb.close()


def _overview(book: _Book, result: RunResult, L, journal, entry, run_at: datetime) -> None:
    ws = book.sheet("Overzicht", f"{L('summary')} {result.label}")
    invoices = [j for j in journal if j["document_type"] == "invoice"]
    credits = [j for j in journal if j["document_type"] == "credit_note"]
    numbers = sorted(j["number"] for j in journal if j["number"])
    dates = sorted(j["date"] for j in journal)
    kinds = totals_by_kind(result)
    net = sum((j["net"] for j in journal), ZERO)
    vat = sum((j["vat"] for j in journal), ZERO)
    problems = list(result.problems)
    held = [c for c in result.customers if c.held]
    facts = [
        ("quarter", result.quarter, "text"),
        ("run", result.label, "text"),
        ("run_at", run_at, "date"),
        ("dry_run", result.dry_run, "text"),
        ("first_date", dates[0] if dates else None, "date"),
        ("last_date", dates[-1] if dates else None, "date"),
        ("first_number", numbers[0] if numbers else L("draft") if journal else "", "text"),
        ("last_number", numbers[-1] if numbers else L("draft") if journal else "", "text"),
        ("n_invoices", len(invoices), "int"),
        ("n_credit_notes", len(credits), "int"),
        ("kind_fee", kinds["fee"], "money"),
        ("kind_regie", kinds["regie"], "money"),
        ("kind_upgrade", kinds["upgrade"], "money"),
        ("net_total", net, "money"),
        ("vat_total", vat, "money"),
        ("gross_total", net + vat, "money"),
        ("n_customers_billed", len({j["customer_id"] for j in journal}), "int"),
        ("n_held", len(held), "int"),
        ("n_errors", sum(1 for p in problems if p.severity == "error"), "int"),
        ("n_warnings", sum(1 for p in problems if p.severity != "error"), "int"),
        ("n_interventions", len(result.interventions), "int"),
        ("balanced", is_balanced(entry), "text"),
    ]
    fmt_dt = book.wb.add_format({"num_format": "dd/mm/yyyy hh:mm", "align": "left"})
    top = 3
    ws.add_table(top, 0, top + len(facts), 1, {
        "name": "Kerncijfers", "style": "Table Style Medium 2", "autofilter": False,
        "columns": [{"header": L("item"), "header_format": book.f["header"]},
                    {"header": L("value"), "header_format": book.f["header"]}],
    })
    for i, (key, value, kind) in enumerate(facts, start=top + 1):
        book.cell(ws, i, 0, L(key))
        if key == "run_at":
            ws.write_datetime(i, 1, value, fmt_dt)
            book.fit(ws, 1, 16)
        elif key == "balanced":
            book.cell(ws, i, 1, value, fmt=book.f["ok" if value else "bad"])
        else:
            book.cell(ws, i, 1, value, kind, fmt=book.f["left_" + kind] if kind in ("int", "date") else None)
    ws.freeze_panes(top + 1, 0)
    ws.repeat_rows(top)

    # chart sources, each a small table, side by side with the facts
    c0 = 3
    r = top
    kind_rows = [{"k": L(f"kind_{k}"), "v": kinds[k]} for k in KINDS]
    ws.write_string(r - 1, c0, L("by_kind"), book.f["section"])
    r_kind = r
    r = book.table(ws, r, [Col("k", L("kind")), Col("v", L("net"), "money")], kind_rows, "PerSoort", first_col=c0)
    module_rows = [{"k": k, "v": v} for k, v in by_module(result)]
    r += 2
    ws.write_string(r - 1, c0, L("by_module"), book.f["section"])
    r_mod = r
    r = book.table(ws, r, [Col("k", L("module")), Col("v", L("net"), "money")], module_rows, "PerModule",
                   first_col=c0)
    top_rows = [{"k": k, "v": v} for k, v in top_customers(result)]
    r += 2
    ws.write_string(r - 1, c0, L("top_customers"), book.f["section"])
    r_top = r
    r = book.table(ws, r, [Col("k", L("customer")), Col("v", L("net"), "money")], top_rows, "TopKlanten",
                   first_col=c0)
    # charts, to the right of the tables
    chart_col = c0 + 3
    anchor = top
    sheet = "Overzicht"
    if any(row["v"] for row in kind_rows):
        ch = book.wb.add_chart({"type": "pie"})
        ch.add_series({
            "name": L("by_kind"),
            "categories": [sheet, r_kind + 1, c0, r_kind + len(kind_rows), c0],
            "values": [sheet, r_kind + 1, c0 + 1, r_kind + len(kind_rows), c0 + 1],
            "data_labels": {"percentage": True, "category": False, "leader_lines": True},
        })
        ch.set_title({"name": L("by_kind")})
        ch.set_legend({"position": "right"})
        ch.set_size({"width": 480, "height": 260})
        ws.insert_chart(anchor, chart_col, ch, {"x_offset": 10, "y_offset": 0})
        anchor += 14
    if module_rows:
        ch = book.wb.add_chart({"type": "column"})
        ch.add_series({
            "name": L("by_module"),
            "categories": [sheet, r_mod + 1, c0, r_mod + len(module_rows), c0],
            "values": [sheet, r_mod + 1, c0 + 1, r_mod + len(module_rows), c0 + 1],
            "data_labels": {"value": True, "num_format": '#,##0'},
        })
        ch.set_title({"name": L("by_module")})
        ch.set_legend({"none": True})
        ch.set_y_axis({"num_format": '#,##0 "€"', "major_gridlines": {"visible": True}})
        ch.set_size({"width": 480, "height": 260})
        ws.insert_chart(anchor, chart_col, ch, {"x_offset": 10, "y_offset": 0})
        anchor += 14
    if top_rows:
        ch = book.wb.add_chart({"type": "bar"})
        ch.add_series({
            "name": L("top_customers"),
            "categories": [sheet, r_top + 1, c0, r_top + len(top_rows), c0],
            "values": [sheet, r_top + 1, c0 + 1, r_top + len(top_rows), c0 + 1],
            "data_labels": {"value": True, "num_format": '#,##0'},
        })
        ch.set_title({"name": L("top_customers")})
        ch.set_legend({"none": True})
        ch.set_y_axis({"reverse": True})  # largest customer on top
        ch.set_x_axis({"num_format": '#,##0 "€"', "major_gridlines": {"visible": True}})
        ch.set_size({"width": 480, "height": 320})
        ws.insert_chart(anchor, chart_col, ch, {"x_offset": 10, "y_offset": 0})
    book.finish_widths(ws)
    ws.set_column(2, 2, 2)  # a narrow gutter between the facts and the chart tables


def _journal_sheet(book: _Book, result: RunResult, L, journal) -> None:
    ws = book.sheet("Verkoopdagboek", L("journal"), streamed=True)
    rows = []
    for j in journal:
        row = dict(j)
        row["document_type"] = L(j["document_type"]) if j["document_type"] in ("invoice", "credit_note") \
            else j["document_type"]
        # the number links to the invoice workbook, facturen/<number>.xlsx beside this file
        row["number"] = (f"facturen/{j['number']}.xlsx", j["number"]) if j["number"] else ("", L("draft"))
        rows.append(row)
    cols = [
        Col("number", L("number"), "link"), Col("document_type", L("document_type")),
        Col("date", L("date"), "date"), Col("due_date", L("due_date"), "date"),
        Col("customer_id", L("customer_id")), Col("customer_name", L("customer_name")),
        Col("vat_number", L("vat_number")), Col("country", L("country")),
        Col("vat_category", L("vat_category")),
        Col("net", L("net"), "money", total=True), Col("vat", L("vat"), "money", total=True),
        Col("total", L("total"), "money", total=True),
        Col("structured_reference", L("structured_reference")),
        Col("credited_number", L("credited_number")),
    ]
    header = 3
    book.table(ws, header, cols, rows, "Verkoopdagboek", totals_label=L("gross_total").split(" ")[0])
    ws.freeze_panes(header + 1, 1)
    ws.repeat_rows(header)
    book.finish_widths(ws)


def _lines_sheet(book: _Book, L, lines) -> None:
    ws = book.sheet("Lijnen", L("lines"), streamed=True)
    rows = (dict(r, kind=L(f"kind_{r['kind']}") if r["kind"] in KINDS else r["kind"],
                 late=L("late") if r["late"] else "") for r in lines)
    cols = [
        Col("number", L("number")), Col("customer_id", L("customer_id")),
        Col("customer_name", L("customer_name")), Col("gl_account", L("gl_account")),
        Col("kind", L("kind")), Col("module", L("module")),
        Col("intervention_id", L("intervention_id")),
        Col("period_start", L("period_start"), "date"), Col("period_end", L("period_end"), "date"),
        Col("quantity", L("quantity"), "qty"), Col("unit_price", L("unit_price"), "money"),
        Col("amount", L("amount"), "money", total=True), Col("vat_category", L("vat_category")),
        Col("deadline", L("deadline"), "date"), Col("late", L("late")),
        Col("description", L("description"), width=40, wrap=True),
    ]
    header = 3
    book.table(ws, header, cols, rows, "Lijnen", totals_label=L("net_total"))
    ws.freeze_panes(header + 1, 1)
    ws.repeat_rows(header)
    book.finish_widths(ws)


def _ledger_sheet(book: _Book, result: RunResult, L, entry) -> None:
    ws = book.sheet("Grootboek", L("ledger"))
    accounts = result.settings.accounts
    label_of = {accounts.fee: L("acc_fee"), accounts.regie: L("acc_regie"), accounts.upgrade: L("acc_upgrade")}
    r = 3
    ws.write_string(r, 0, L("per_account"), book.f["section"])
    rows = [dict(t, name=label_of.get(t["gl_account"], L("acc_other"))) for t in ledger_totals(result)]
    r = book.table(ws, r + 1, [
        Col("gl_account", L("gl_account")), Col("name", L("account_name")),
        Col("vat_category", L("vat_category")), Col("net", L("net"), "money", total=True),
    ], rows, "PerRekening", totals_label=L("net_total").split(" ")[0])
    first_header = 4
    r += 1
    ws.write_string(r, 0, L("per_category"), book.f["section"])
    r = book.table(ws, r + 1, [
        Col("vat_category", L("vat_category")), Col("rate", "%", "pct"),
        Col("base", L("base"), "money", total=True), Col("vat", L("vat"), "money", total=True),
        Col("total", L("total"), "money", total=True),
    ], category_totals(result), "PerBtwCategorie", totals_label=L("net_total").split(" ")[0])
    r += 1
    ws.write_string(r, 0, L("entry"), book.f["section"])
    entry_rows = [{"account": e.account, "name": L(e.label_key), "side": L(e.side_key),
                   "debit": e.debit or None, "credit": e.credit or None} for e in entry]
    r_entry = r + 1
    r = book.table(ws, r_entry, [
        Col("account", L("gl_account")), Col("name", L("account_name")), Col("side", L("document_type")),
        Col("debit", L("debit"), "money", total=True), Col("credit", L("credit"), "money", total=True),
    ], entry_rows, "Boeking", totals_label=L("net_total").split(" ")[0])
    ok = is_balanced(entry)
    ws.write_string(r, 0, f"{L('balanced')}: {L('yes') if ok else L('no')}", book.f["ok" if ok else "bad"])
    ws.freeze_panes(first_header + 1, 0)
    book.finish_widths(ws)


def _vat_sheet(book: _Book, result: RunResult, L, grids) -> None:
    ws = book.sheet("BTW-aangifte", L("vat_return"))
    rows = [{"grid": g, "text": L(f"grid_{g}"), "amount": grids[g]} for g in GRIDS if g in grids]
    header = 3
    r = book.table(ws, header, [
        Col("grid", L("grid")), Col("text", L("description")), Col("amount", L("amount"), "money"),
    ], rows, "Roosters")
    r += 1
    ws.write_string(r, 0, L("intra_listing"), book.f["section"])
    book.table(ws, r + 1, [
        Col("country", L("country")), Col("vat_number", L("vat_number")),
        Col("customer_name", L("customer_name")), Col("code", L("code")),
        Col("base", L("base"), "money", total=True),
    ], intra_community_rows(result), "IntraListing", totals_label=L("net_total").split(" ")[0])
    ws.freeze_panes(header + 1, 0)
    book.finish_widths(ws)


def _customers_sheet(book: _Book, result: RunResult, L) -> None:
    ws = book.sheet("Klanten", L("customers"), streamed=True)
    rows = [{
        "customer_id": c.customer_id, "name": c.name, "agreement": c.agreement,
        "billed_through": c.billed_through, "fees": c.fees, "regie": c.regie, "upgrades": c.upgrades,
        "total": c.total, "held": c.held, "reason": c.held_reason,
    } for c in sorted(result.customers, key=lambda c: c.customer_id)]
    cols = [
        Col("customer_id", L("customer_id")), Col("name", L("customer_name")),
        Col("agreement", L("agreement")), Col("billed_through", L("billed_through"), "date"),
        Col("fees", L("fees"), "money", total=True), Col("regie", L("regie"), "money", total=True),
        Col("upgrades", L("upgrades"), "money", total=True),
        Col("total", L("total_incl"), "money", total=True),
        Col("held", L("held")), Col("reason", L("reason"), width=50, wrap=True),
    ]
    header = 3
    book.table(ws, header, cols, rows, "Klanten", totals_label=L("net_total").split(" ")[0])
    ws.freeze_panes(header + 1, 2)
    ws.repeat_rows(header)
    book.finish_widths(ws)


def _interventions_sheet(book: _Book, result: RunResult, L, counts) -> None:
    ws = book.sheet("Interventies", L("interventions"), streamed=True)
    i = _LANG_INDEX.get(result.settings.invoice.language, 0)
    # the count per status first: the reconciliation at a glance
    header = 3
    count_rows = [{"status": s, "text": _STATUS_TEXT[s][i] if s in _STATUS_TEXT else "", "count": n}
                  for s, n in counts.items()]
    r = book.table(ws, header, [
        Col("status", L("status")), Col("text", L("status_text")), Col("count", L("count"), "int", total=True),
    ], count_rows, "PerStatus", totals_label=L("total_rows"))
    r += 1
    detail_header = r
    rows = ({
        "intervention_id": o.intervention_id, "customer_id": o.customer_id, "date": o.date,
        "status": o.status, "number": o.number or "", "amount": o.amount, "reason": o.reason,
        "source": o.source,
    } for o in result.interventions)
    book.table(ws, detail_header, [
        Col("intervention_id", L("intervention_id")), Col("customer_id", L("customer_id")),
        Col("date", L("date"), "date"), Col("status", L("status")), Col("number", L("number")),
        Col("amount", L("amount"), "money", total=True), Col("reason", L("reason"), width=45, wrap=True),
        Col("source", L("source")),
    ], rows, "Interventies", totals_label=L("net_total").split(" ")[0])
    ws.freeze_panes(detail_header + 1, 1)
    book.finish_widths(ws)


def _problems_sheet(book: _Book, result: RunResult, L) -> None:
    ws = book.sheet("Problemen", L("problems"), streamed=True)
    order = {"error": 0, "warning": 1}
    problems = sorted(result.problems, key=lambda p: (order.get(p.severity, 2), p.file, p.sheet,
                                                      p.row or 0, p.cell))
    rows = ({
        "severity": L(p.severity) if p.severity in ("error", "warning") else p.severity,
        "location": p.location, "column": p.column, "value": p.value, "message": p.message,
        "fix": p.fix, "customer_id": p.customer_id or "",
    } for p in problems)
    header = 3
    book.table(ws, header, [
        Col("severity", L("severity")), Col("location", L("location")), Col("column", L("column")),
        Col("value", L("value")), Col("message", L("message"), width=50, wrap=True), Col("fix", L("fix"), width=45, wrap=True),
        Col("customer_id", L("customer_id")),
    ], rows, "Problemen")
    if not problems:
        ws.write_string(header + 1, 0, L("no_problems"))
    ws.freeze_panes(header + 1, 0)
    ws.repeat_rows(header)
    book.finish_widths(ws)


def _inputs_sheet(book: _Book, result: RunResult, L) -> None:
    ws = book.sheet("Invoer", L("inputs"))
    rows = [{"path": f.path, "kind": f.kind, "sheets": ", ".join(f.sheets), "month": f.month or "",
             "rows": f.rows, "sha256": f.sha256} for f in sorted(result.input_files, key=lambda f: f.path)]
    header = 3
    r = book.table(ws, header, [
        Col("path", L("path")), Col("kind", L("kind")), Col("sheets", L("sheets")),
        Col("month", L("month")), Col("rows", L("rows"), "int", total=True), Col("sha256", L("sha256")),
    ], rows, "Invoerbestanden", totals_label=L("net_total").split(" ")[0])
    r += 1
    ws.write_string(r, 0, L("settings"), book.f["section"])
    settings_rows = []
    for section, values in result.settings.as_dict().items():
        for key, value in (values.items() if isinstance(values, dict) else [("", values)]):
            settings_rows.append({"setting": f"{section}.{key}" if key else section,
                                  "value": "" if value is None else str(value)})
    if result.version:
        settings_rows.append({"setting": L("version"), "value": result.version})
    book.table(ws, r + 1, [Col("setting", L("setting")), Col("value", L("value"))],
               settings_rows, "Instellingen")
    ws.freeze_panes(header + 1, 0)
    book.finish_widths(ws, cap=70)


def _result(invoices: list[Invoice]) -> RunResult:
    """A minimal run result around ``invoices`` (for doctests and quick looks)."""
    from batch.settings import Settings

    return RunResult(quarter="2027Q1", label="2027Q1", dry_run=False, run_at="2027-01-05T10:00:00",
                     invoice_date=date(2027, 1, 5), invoices=invoices, interventions=[], problems=[],
                     input_files=[], customers=[], settings=Settings())
