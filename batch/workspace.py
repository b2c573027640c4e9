"""The workspace: its layout on disk and ``bijstand init``, which creates one with filled-in
examples (settings, tariffs, a month of inbox sheets) and the empty templates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from .model import Holiday, InterestRate, ModulePrice, RegieRate
from .payments.interest import OFFICIAL_RATES
from .problems import BijstandError
from .schema import INTERVENTIES, INTREST, KLANTEN, LICENTIES, MODULES, REGIE, VERLOF
from .settings import DEFAULT_TOML, SETTINGS_FILE
from .templates import TARIFFS_FILE, Formats, atomic_workbook, write_sheet, write_templates_safely

TARIFFS = TARIFFS_FILE  # "tarieven.xlsx"
INBOX = "inbox"
OUTPUT = "output"
TEMPLATES = "templates"
REGISTER = "bijstand.sqlite"
BACKUPS = "backups"

__all__ = [
    "SETTINGS_FILE", "TARIFFS", "INBOX", "OUTPUT", "TEMPLATES", "REGISTER",
    "EXAMPLE_MODULES", "EXAMPLE_REGIE", "EXAMPLE_VERLOF", "EXAMPLE_MONTH",
    "init_workspace", "write_tariffs", "write_inbox_month", "write_examples", "EXAMPLES", "BACKUPS",
]

D = Decimal


def module_price(code, description, licence, fee, valid_from, base=False, comm=False, fr="", en="") -> ModulePrice:
    """A tariff row from text amounts: ``module_price("KAS", "Kassamodule", "1200.00", "12.00", day)``;
    ``fr`` and ``en`` are the module's name in French and English."""
    names = tuple((lang, text) for lang, text in (("fr", fr), ("en", en)) if text)
    return ModulePrice(code, description, base, comm, D(licence), D(fee), valid_from, names=names)


_module = module_price


# SPEC §7's tariffs, plus a few more modules of the jeweler package.
EXAMPLE_MODULES = (
    _module("JUW", "Juwelierspakket (basispakket)", "4950.00", "45.00", date(2010, 1, 1), base=True,
            fr="Logiciel bijoutier (pack de base)", en="Jeweller package (base package)"),
    _module("JUW", "Juwelierspakket (basispakket)", "4950.00", "48.00", date(2027, 1, 1), base=True,
            fr="Logiciel bijoutier (pack de base)", en="Jeweller package (base package)"),
    _module("KAS", "Kassamodule", "1200.00", "12.00", date(2010, 1, 1), fr="Module caisse", en="Till module"),
    _module("COM", "Communicatiepakket", "350.00", "5.00", date(2010, 1, 1), comm=True,
            fr="Pack communication", en="Communication package"),
    _module("HERSTEL", "Herstellingen en opvolging", "950.00", "9.50", date(2010, 1, 1),
            fr="Réparations et suivi", en="Repairs and follow-up"),
    _module("VOORRAAD", "Voorraadbeheer en inventaris", "1450.00", "14.00", date(2010, 1, 1),
            fr="Gestion de stock et inventaire", en="Stock and inventory"),
    _module("WEB", "Webshopkoppeling", "1800.00", "18.00", date(2015, 1, 1),
            fr="Liaison boutique en ligne", en="Web shop link"),
)
EXAMPLE_REGIE = (
    RegieRate(date(2020, 1, 1), D("75.00"), None),
    RegieRate(date(2027, 1, 1), D("80.00"), None),
)
EXAMPLE_VERLOF = (
    Holiday(date(2026, 4, 6), date(2026, 4, 19), "Paasvakantie 2026"),
    Holiday(date(2026, 7, 20), date(2026, 8, 7), "Zomersluiting 2026"),
    Holiday(date(2026, 12, 24), date(2027, 1, 3), "Kerstvakantie 2026-2027"),
    Holiday(date(2027, 3, 29), date(2027, 4, 11), "Paasvakantie 2027"),
    Holiday(date(2027, 7, 19), date(2027, 8, 6), "Zomersluiting 2027"),
)

# The statutory late-payment interest (SPEC §12 P4): the half-yearly rates that could be verified.
EXAMPLE_INTEREST = tuple(InterestRate(r.valid_from, r.percent, note=r.source) for r in OFFICIAL_RATES)

# SPEC §7's customers A, B and C, plus one in the Netherlands (reverse charge) and one
# without agreement, as the December 2026 sheets of a new workspace.
EXAMPLE_MONTH = "2026-12"
EXAMPLE_CUSTOMERS = (
    {"klantnummer": "1001", "naam": "Juwelier Van den Broeck", "straat": "Meir 48", "postcode": "2000",
     "gemeente": "Antwerpen", "land": "BE", "btw-nummer": "BE0202239951", "taal": "nl",
     "e-mail": "info@vandenbroeck-juwelen.be", "peppol-id": "0208:0202239951", "overeenkomst": "ja"},
    {"klantnummer": "1002", "naam": "Bijouterie Lambert", "straat": "Rue de la Cathédrale 12",
     "postcode": "4000", "gemeente": "Liège", "land": "BE", "btw-nummer": "BE0403170701",
     "taal": "fr", "e-mail": "contact@bijouterie-lambert.be", "overeenkomst": "ja"},
    {"klantnummer": "1003", "naam": "Goudsmid Peeters", "straat": "Veldstraat 7", "postcode": "9000",
     "gemeente": "Gent", "land": "BE", "btw-nummer": "BE0417497106", "taal": "nl",
     "e-mail": "goudsmid.peeters@telenet.be", "overeenkomst": "ja",
     "opgezegd op": date(2026, 11, 20), "opzegging via": "e-mail"},
    {"klantnummer": "1004", "naam": "Juwelier De Vries", "straat": "Kalverstraat 112", "postcode": "1012 PX",
     "gemeente": "Amsterdam", "land": "NL", "btw-nummer": "NL004495445B01", "taal": "nl",
     "e-mail": "winkel@devriesjuwelen.nl", "overeenkomst": "ja"},
    {"klantnummer": "1005", "naam": "Horlogerie Dubois", "straat": "Chaussée de Charleroi 81",
     "postcode": "1060", "gemeente": "Sint-Gillis", "land": "BE", "btw-nummer": "BE0448167516",
     "taal": "en", "e-mail": "office@horlogerie-dubois.be", "overeenkomst": "nee"},
)
EXAMPLE_LICENCES = (
    {"klantnummer": "1001", "module": "JUW", "aantal": 1, "aankoopdatum": date(2015, 3, 2)},
    {"klantnummer": "1001", "module": "KAS", "aantal": 2, "aankoopdatum": date(2018, 6, 11)},
    {"klantnummer": "1002", "module": "JUW", "aantal": 1, "aankoopdatum": date(2026, 11, 15)},
    {"klantnummer": "1003", "module": "JUW", "aantal": 1, "aankoopdatum": date(2012, 9, 3)},
    {"klantnummer": "1003", "module": "COM", "aantal": 1, "aankoopdatum": date(2012, 9, 3)},
    {"klantnummer": "1004", "module": "JUW", "aantal": 1, "aankoopdatum": date(2019, 1, 14)},
    {"klantnummer": "1004", "module": "COM", "aantal": 1, "aankoopdatum": date(2019, 1, 14)},
    {"klantnummer": "1004", "module": "WEB", "aantal": 1, "aankoopdatum": date(2021, 5, 3),
     "einddatum": date(2026, 10, 31)},
    {"klantnummer": "1005", "module": "JUW", "aantal": 1, "aankoopdatum": date(2020, 2, 17)},
    {"klantnummer": "1005", "module": "HERSTEL", "aantal": 1, "aankoopdatum": date(2020, 2, 17)},
)


def _intervention(n, day, customer, minutes, channel, category, adapted="nee", tech="Sofie", text=""):
    return {"interventienummer": n, "datum": day, "klantnummer": customer, "duur": minutes,
            "kanaal": channel, "soort": category, "aanpassing pakket": adapted,
            "technieker": tech, "omschrijving": text}


EXAMPLE_INTERVENTIONS = (
    _intervention("2026-0101", date(2026, 10, 12), "1001", 20, "telefoon", "vraag",
                  text="Vraag over btw-overzicht"),
    _intervention("2026-0102", date(2026, 11, 3), "1001", 50, "internet", "virus", tech="Koen",
                  text="Virus verwijderd op kassa-pc"),
    _intervention("2026-0103", date(2026, 12, 28), "1001", 10, "telefoon", "vraag",
                  text="Tijdens kerstverlof: afdruk factuur"),
    _intervention("2026-0104", date(2026, 12, 2), "1003", 10, "telefoon", "vraag",
                  text="Na opzegging: vraag over etiketten"),
    _intervention("2026-0105", date(2026, 12, 9), "1003", "1:10", "internet", "vraag", "ja", tech="Koen",
                  text="Na opzegging: etiketlay-out aangepast"),
    _intervention("2026-0106", date(2026, 12, 14), "1004", 45, "internet", "opleiding",
                  text="Opleiding voorraad"),
    _intervention("2026-0107", date(2026, 12, 15), "1005", "1:30", "ter plaatse", "herinstallatie",
                  tech="Koen", text="Nieuwe pc, pakket opnieuw geïnstalleerd"),
)


def write_tariffs(
    path: Path,
    modules: Iterable[ModulePrice],
    regie: Iterable[RegieRate],
    verlof: Iterable[Holiday],
    interest: Iterable[InterestRate] = (),
) -> Path:
    """Write a tariffs workbook (sheets Modules, Regie, Verlof, Intrest) in the template's layout."""
    module_rows = [
        {"code": m.code, "omschrijving": m.description, **{f"omschrijving {lang}": text for lang, text in m.names},
         "basispakket": m.is_base,
         "communicatiepakket": m.is_communication, "licentieprijs": m.licence_price,
         "maandbedrag": m.monthly_fee, "geldig vanaf": m.valid_from}
        for m in modules
    ]
    regie_rows = [{"geldig vanaf": r.valid_from, "uurtarief": r.hourly_rate, "kanaal": r.channel}
                  for r in regie]
    verlof_rows = [{"van": h.start, "tot": h.end, "omschrijving": h.description} for h in verlof]
    interest_rows = [{"geldig vanaf": i.valid_from, "rentevoet": i.rate, "bron": i.note or None} for i in interest]
    with atomic_workbook(path, title="Tarieven") as workbook:
        formats = Formats(workbook)
        write_sheet(workbook, MODULES, module_rows, formats=formats)
        write_sheet(workbook, REGIE, regie_rows, formats=formats)
        write_sheet(workbook, VERLOF, verlof_rows, formats=formats)
        write_sheet(workbook, INTREST, interest_rows, formats=formats)
    return Path(path)


def write_inbox_month(folder: Path, customers, licences, interventions) -> list[Path]:
    """Write one month's klanten.xlsx, licenties.xlsx and interventies.xlsx (rows as dicts)."""
    written = []
    for spec, rows in ((KLANTEN, customers), (LICENTIES, licences), (INTERVENTIES, interventions)):
        path = Path(folder) / f"{spec.kind}.xlsx"
        with atomic_workbook(path) as workbook:
            write_sheet(workbook, spec, rows)
        written.append(path)
    return written


EXAMPLES = "voorbeeld"  # example sheets: never read by a run (issue 13: the first quarter must be safe)


def _write_new(path: Path, write, written: list[Path], left: list[Path]) -> None:
    """``write(path)`` only when ``path`` does not exist yet (SPEC §8 T9)."""
    if path.exists():
        left.append(path)
        return
    write(path)
    written.append(path)


def _write_text(text: str):
    def write(path: Path) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return write


def write_examples(folder: Path) -> tuple[list[Path], list[Path]]:
    """The example month (SPEC §7's customers A, B and C and two more) into ``folder``, file by file,
    never over an existing file. Returns (written, left alone)."""
    written: list[Path] = []
    left: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for spec, rows in ((KLANTEN, EXAMPLE_CUSTOMERS), (LICENTIES, EXAMPLE_LICENCES),
                       (INTERVENTIES, EXAMPLE_INTERVENTIONS)):
        def write(path: Path, spec=spec, rows=rows) -> None:
            with atomic_workbook(path) as workbook:
                write_sheet(workbook, spec, rows)
        _write_new(folder / f"{spec.kind}.xlsx", write, written, left)
    return written, left


def init_workspace(path: Path, *, examples_in_inbox: bool = False) -> tuple[list[Path], list[Path]]:
    """Create or complete a workspace; returns (files written, existing files left alone).

    Writes what is missing — settings, tariffs, the empty templates, the folders, and the example
    sheets in ``voorbeeld/2026-12/`` (not in the inbox: a run never bills them) — and never
    overwrites a file (SPEC §8 T9). ``examples_in_inbox`` also copies the example month into
    ``inbox/2026-12/``, for a trial workspace.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise BijstandError(f"{path} is a file, not a folder — choose another folder for the workspace")
    path.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    left: list[Path] = []
    _write_new(path / SETTINGS_FILE, _write_text(DEFAULT_TOML), written, left)
    _write_new(path / TARIFFS, lambda p: write_tariffs(p, EXAMPLE_MODULES, EXAMPLE_REGIE, EXAMPLE_VERLOF,
                                                       EXAMPLE_INTEREST), written, left)
    for folder in (INBOX, OUTPUT):
        (path / folder).mkdir(exist_ok=True)
    w, l = write_templates_safely(path / TEMPLATES)
    written += w
    left += l
    w, l = write_examples(path / EXAMPLES / EXAMPLE_MONTH)
    written += w
    left += l
    if examples_in_inbox:
        w, l = write_examples(path / INBOX / EXAMPLE_MONTH)
        written += w
        left += l
    return written, left
