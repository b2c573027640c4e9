"""The input sheets: their columns, aliases, types and rules (SPEC §4).

Both the inbox reader (to recognise and parse sheets) and the template writer (to make
empty input templates with drop-downs) work from these declarations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .model import CANCEL_CHANNELS, CATEGORIES, CHANNELS, LANGUAGES

# Column types: text, id (text; numbers that Excel made of it are turned back into text),
# date, int, decimal, minutes, yesno, choice, country, vat, language, email, peppol_id


@dataclass(frozen=True)
class Column:
    name: str  # canonical Dutch header, also the field's key
    type: str
    required: bool = False
    aliases: tuple[str, ...] = ()  # English and other accepted headers
    choices: tuple[str, ...] = ()  # for type "choice"
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (alias, canonical)
    default: object = None
    width: int = 14  # template column width
    help: str = ""  # one-line explanation for the Instructies sheet (Dutch)


@dataclass(frozen=True)
class SheetSpec:
    kind: str  # klanten | licenties | interventies | modules | regie | verlof
    title: str  # sheet name in templates
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def __post_init__(self):
        # a cached lookup by name (frozen dataclass: set through object.__setattr__)
        object.__setattr__(self, "column", {c.name: c for c in self.columns}.__getitem__)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)


def normalize_header(text: object) -> str:
    """Header key: case-, space- and accent-insensitive (cached: the reader asks for the same texts often).

    >>> normalize_header("  Aankoop-Datum ")
    'aankoopdatum'
    >>> normalize_header("Opzegging  via")
    'opzeggingvia'
    >>> normalize_header("Côté")
    'cote'
    """
    return _normalize(str(text or ""))


@lru_cache(maxsize=4096)
def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[\s_\-./()]+", "", s.lower())


CATEGORY_ALIASES = (
    ("question", "vraag"),
    ("training", "opleiding"),
    ("settings", "parameters"),
    ("hosting", "online"),
    ("connection", "verbinding"),
    ("reinstall", "herinstallatie"),
    ("pc-problem", "pc-probleem"),
    ("internet-problem", "internetprobleem"),
    ("external", "externe-oorzaak"),
)
CHANNEL_ALIASES = (("phone", "telefoon"), ("remote", "internet"), ("onsite", "ter plaatse"))
CANCEL_ALIASES = (("letter", "brief"), ("email", "e-mail"), ("mail", "e-mail"))

KLANTEN = SheetSpec(
    "klanten",
    "Klanten",
    (
        Column("klantnummer", "id", True, ("customer_id", "customer id", "klantnr"), width=12,
               help="Uniek nummer van de klant."),
        Column("naam", "text", True, ("name",), width=30, help="Naam van de klant (firma)."),
        Column("straat", "text", False, ("street",), width=28),
        Column("postcode", "id", False, ("postal_code", "zip"), width=9),
        Column("gemeente", "text", False, ("city",), width=18),
        Column("land", "country", False, ("country",), default="BE", width=6,
               help="ISO-landcode, bv. BE, NL, FR, LU. Leeg = BE."),
        Column("btw-nummer", "vat", False, ("vat_number", "vat", "btw"), width=16,
               help="Btw-nummer met landcode, bv. BE0403170701."),
        Column("taal", "language", False, ("language",), width=6, help="nl, fr of en."),
        Column("e-mail", "email", False, ("email",), width=26),
        Column("e-mail facturen", "email", False, ("invoice_email", "invoice e-mail"), width=26,
               help="Adres voor facturen, als dat een ander is dan e-mail."),
        Column("cc", "email", False, ("cc",), width=22, help="Kopie van elke factuur-e-mail naar dit adres."),
        Column("peppol-id", "peppol_id", False, ("peppol_id",), width=18,
               help="Peppol-adres, bv. 0208:0403170701."),
        Column("overeenkomst", "yesno", False, ("agreement",), default=True, width=13,
               help="ja/nee: heeft de klant een bijstandsovereenkomst? Leeg = ja."),
        Column("overeenkomst vanaf", "date", False, ("agreement_start",), width=16,
               help="Alleen invullen als een andere startdatum werd afgesproken."),
        Column("opgezegd op", "date", False, ("cancelled_on",), width=13,
               help="Datum van de opzegging; vanaf die dag geen overeenkomst meer."),
        Column("opzegging via", "choice", False, ("cancelled_via",), CANCEL_CHANNELS,
               CANCEL_ALIASES, width=13, help="brief, e-mail of fax."),
    ),
)

LICENTIES = SheetSpec(
    "licenties",
    "Licenties",
    (
        Column("klantnummer", "id", True, ("customer_id", "customer id", "klantnr"), width=12),
        Column("module", "id", True, ("module code", "modulecode"), width=10,
               help="Code van de module zoals in tarieven.xlsx (Modules)."),
        Column("aantal", "int", False, ("quantity", "qty"), default=1, width=8,
               help="Aantal licenties, geheel getal ≥ 1. Leeg = 1."),
        Column("aankoopdatum", "date", True, ("purchase_date",), width=13),
        Column("einddatum", "date", False, ("end_date",), width=13,
               help="Laatste dag dat de module gebruikt wordt (leeg = nog in gebruik)."),
    ),
)

INTERVENTIES = SheetSpec(
    "interventies",
    "Interventies",
    (
        Column("interventienummer", "id", True, ("intervention_id", "intervention id", "interventienr"),
               width=14, help="Uniek nummer over alle bladen heen."),
        Column("datum", "date", True, ("date",), width=12),
        Column("klantnummer", "id", True, ("customer_id", "customer id", "klantnr"), width=12),
        Column("duur", "minutes", True, ("minutes", "duration"), width=8,
               help="Minuten (bv. 20) of uren:minuten (1:30 = 90 minuten)."),
        Column("kanaal", "choice", True, ("channel",), CHANNELS, CHANNEL_ALIASES, width=12),
        Column("soort", "choice", True, ("category",), CATEGORIES, CATEGORY_ALIASES, width=16),
        Column("aanpassing pakket", "yesno", False, ("package_adapted",), default=False, width=10,
               help="ja als de interventie het pakket aanpaste."),
        Column("technieker", "text", False, ("technician",), width=14),
        Column("omschrijving", "text", False, ("description",), width=40),
    ),
)

MODULES = SheetSpec(
    "modules",
    "Modules",
    (
        Column("code", "id", True, ("module", "module code"), width=10),
        Column("omschrijving", "text", True, ("description",), width=30,
               help="Naam van de module in het Nederlands."),
        Column("omschrijving fr", "text", False, ("description_fr", "description fr"), width=30,
               help="Naam in het Frans (leeg = de Nederlandse)."),
        Column("omschrijving en", "text", False, ("description_en", "description en"), width=30,
               help="Naam in het Engels (leeg = de Nederlandse)."),
        Column("basispakket", "yesno", False, ("base_package",), default=False, width=12),
        Column("communicatiepakket", "yesno", False, ("communication_package",), default=False, width=12),
        Column("licentieprijs", "decimal", True, ("licence_price", "license_price"), width=13),
        Column("maandbedrag", "decimal", True, ("monthly_fee",), width=13),
        Column("geldig vanaf", "date", True, ("valid_from",), width=13),
    ),
)

REGIE = SheetSpec(
    "regie",
    "Regie",
    (
        Column("geldig vanaf", "date", True, ("valid_from",), width=13),
        Column("uurtarief", "decimal", True, ("hourly_rate",), width=12),
        Column("kanaal", "choice", False, ("channel",), CHANNELS, CHANNEL_ALIASES, width=12),
    ),
)

VERLOF = SheetSpec(
    "verlof",
    "Verlof",
    (
        Column("van", "date", True, ("from", "start"), width=12),
        Column("tot", "date", True, ("to", "until", "end"), width=12),
        Column("omschrijving", "text", False, ("description",), width=30),
    ),
)

INTREST = SheetSpec(
    "intrest",
    "Intrest",
    (
        Column("geldig vanaf", "date", True, ("valid_from",), width=13,
               help="Eerste dag van het halfjaar waarvoor de rentevoet geldt."),
        Column("rentevoet", "decimal", True, ("rate", "interest_rate"), width=12,
               help="Wettelijke intrestvoet voor handelstransacties, in % per jaar (wet van 2 augustus 2002)."),
        Column("bron", "text", False, ("source",), width=70,
               help="Waar de rentevoet bekendgemaakt werd: de mededeling van de FOD Financiën in het Belgisch "
                    "Staatsblad en haar datum (niet gebruikt in berekeningen)."),
    ),
)

INSTRUCTIONS_SHEET = "Instructies"  # the explanation sheet of every template; the reader skips it

INBOX_SHEETS = (KLANTEN, LICENTIES, INTERVENTIES)
TARIFF_SHEETS = (MODULES, REGIE, VERLOF, INTREST)
ALL_SHEETS = INBOX_SHEETS + TARIFF_SHEETS
LANGUAGE_CHOICES = LANGUAGES
