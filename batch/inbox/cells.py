"""Cell parsers: one raw spreadsheet value in, one clean value out, or a :class:`CellError`.

Pure functions, no I/O. Each parser accepts what a Belgian bookkeeper types or what Excel,
LibreOffice and calamine hand over (str, int, float, bool, date, datetime, time, timedelta),
and raises a small :class:`CellError` subclass with a Dutch message and fix otherwise —
never any other exception. Empty cells are the caller's business (see :func:`is_empty`).

Decisions where the specification is silent (documented in the README):

- dates are day first; a year must have four digits (``31/12/26`` is refused: 1926 or 2026?);
  a date must lie between 1950 and 2100; Excel serial numbers are accepted in that range;
- ``1.234`` (one dot, exactly three decimals) is refused as ambiguous; ``1,234`` is 1.234
  (a lone comma is always the Belgian decimal comma);
- a duration given as a number below 1 is an Excel time (fraction of a day).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from babel import Locale
from stdnum.eu import vat as eu_vat

from ..identity import ascii_lookalike, foreign_letters, letters_named, normal
from ..money import to_decimal
from ..schema import Column, normalize_header as _normalize_header

EARLIEST_YEAR = 1950
LATEST_YEAR = 2100
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Lotus' phantom 29 Feb 1900


class CellError(ValueError):
    """A cell value that cannot be used; ``str(err)`` is the Dutch message."""

    code = "cell.invalid"
    fix = "Corrigeer de waarde."

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.message = message
        if fix is not None:
            self.fix = fix


class InvalidDate(CellError):
    """Not a date, or an implausible one."""

    code = "date.invalid"
    fix = "Schrijf de datum als 31/12/2026 of 2026-12-31, of gebruik een Excel-datum."


class InvalidNumber(CellError):
    """Not a number, or not the kind of number the column needs."""

    code = "number.invalid"
    fix = "Schrijf een getal, bv. 1234,50 of 1.234,50."


class InvalidDuration(CellError):
    """Not a whole, positive number of minutes."""

    code = "duration.invalid"
    fix = "Schrijf de duur in minuten (bv. 20) of als uren:minuten (1:30 = 90 minuten)."


class InvalidYesNo(CellError):
    """Not a yes/no value."""

    code = "yesno.invalid"
    fix = "Schrijf ja of nee (ook goed: oui/non, yes/no, x/leeg, 1/0)."


class InvalidChoice(CellError):
    """Not one of the allowed values."""

    code = "choice.invalid"


class InvalidCountry(CellError):
    """Not an ISO 3166 alpha-2 country code."""

    code = "country.invalid"
    fix = "Schrijf de landcode met twee letters, bv. BE, NL, FR, LU."


class InvalidVat(CellError):
    """A VAT number that fails the official check."""

    code = "vat.invalid"
    fix = "Controleer het btw-nummer (bv. BE0403170701) op de KBO of VIES."


class InvalidEmail(CellError):
    """Not an e-mail address."""

    code = "email.invalid"
    fix = "Schrijf één e-mailadres, bv. boekhouding@juwelier.be."


class InvalidPeppolId(CellError):
    """Not a Peppol participant id ``scheme:id``."""

    code = "peppol.invalid"
    fix = "Schrijf het Peppol-adres als schema:nummer, bv. 0208:0403170701."


class InvalidText(CellError):
    """A value that cannot be text (e.g. a date in an id column)."""

    code = "text.invalid"
    fix = "Schrijf hier tekst of een nummer."


class ForeignLetters(CellError):
    """An identifier with a letter outside ASCII after NFKC (a Cyrillic К that looks like a K)."""

    code = "id.foreign_letters"

    def __init__(self, message: str, fix: str, lookalike: str | None):
        super().__init__(message, fix)
        self.lookalike = lookalike  # the ASCII identifier it looks like, if any


@functools.lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """:func:`batch.schema.normalize_header`, cached: choice columns repeat a few values endlessly."""
    return _normalize_header(text)


@functools.lru_cache(maxsize=64)
def _choice_table(column: Column) -> dict[str, str]:
    table = {normalize_header(c): c for c in column.choices}
    for alias, canonical in column.choice_aliases:
        table.setdefault(normalize_header(alias), canonical)
    return table


_INVISIBLE = dict.fromkeys(c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")


def clean(text: str) -> str:
    """Text without invisible format characters (zero-width space, direction marks, BOM), trimmed.

    >>> clean("\u200bK1\u200f ")
    'K1'
    """
    return text.translate(_INVISIBLE).strip()


def is_empty(value: object) -> bool:
    """True for what an empty cell looks like after reading.

    >>> is_empty(None), is_empty(""), is_empty("  "), is_empty(0)
    (True, True, True, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: object) -> str:
    """The value as text, as it is shown in a problem.

    >>> show(1001.0), show(date(2026, 2, 3)), show(" x ")
    ('1001', '2026-02-03', 'x')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


# --- text and ids ----------------------------------------------------------------------------


def parse_text(value: object) -> str:
    """Free text, trimmed; numbers as Excel shows them.

    >>> parse_text("  Goudsmid  "), parse_text(12.0), parse_text(2.5)
    ('Goudsmid', '12', '2.5')
    """
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidText(f"'{value}' is geen tekst")
    return clean(show(value))


def parse_id(value: object) -> str:
    """An identifier: text; a number Excel made of it becomes text again.

    Leading zeros survive when the cell is text; ``1001.0`` becomes ``"1001"``.

    >>> parse_id("0012"), parse_id(1001.0), parse_id(1001)
    ('0012', '1001', '1001')
    >>> parse_id(12.5)
    Traceback (most recent call last):
    batch.inbox.cells.InvalidText: 12.5 is geen geldig nummer (een nummer heeft geen decimalen)
    """
    if isinstance(value, bool) or isinstance(value, (date, time, timedelta)):
        raise InvalidText(f"{show(value)} is geen geldig nummer", "Schrijf het nummer als tekst.")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InvalidText(f"{value} is geen geldig nummer (een nummer heeft geen decimalen)")
        return str(int(value))
    text = " ".join(clean(str(value)).split())
    if not text:
        raise InvalidText("nummer is leeg", "Vul het nummer in.")
    return text


def parse_identifier(value: object) -> str:
    """A customer number, module code or intervention number (SPEC §8 T1): :func:`parse_id`,
    then Unicode NFKC (full-width ``Ｋ１００１`` is ``K1001``); a letter outside ASCII after that
    (a Cyrillic or Greek look-alike, an accented letter) is refused, naming the letter.

    >>> parse_identifier("Ｋ１００１"), parse_identifier(" k 1001 "), parse_identifier(1001.0)
    ('K1001', 'k 1001', '1001')
    >>> parse_identifier("К1001")
    Traceback (most recent call last):
    batch.inbox.cells.ForeignLetters: "К1001" bevat een letter die geen gewone (Latijnse) letter is: К (CYRILLIC CAPITAL LETTER KA); bedoelt u "K1001"?
    """
    text = parse_id(value)
    if text.isascii():  # the common case: NFKC changes nothing and no letter can be foreign
        return text
    text = normal(text)
    letters = foreign_letters(text)
    if not letters:
        return text
    lookalike = ascii_lookalike(text)
    hint = f'; bedoelt u "{lookalike}"?' if lookalike else ""
    raise ForeignLetters(
        f'"{text}" bevat een letter die geen gewone (Latijnse) letter is: {letters_named(letters)}{hint}',
        "Typ het nummer opnieuw met een Latijns toetsenbord (de letter lijkt op een gewone, maar is het niet).",
        lookalike)


# --- dates -----------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{1,4})", re.ASCII)
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", re.ASCII)


def _plausible(d: date, shown: str) -> date:
    if not EARLIEST_YEAR <= d.year <= LATEST_YEAR:
        raise InvalidDate(
            f'"{shown}" ligt niet tussen {EARLIEST_YEAR} en {LATEST_YEAR}',
            "Controleer het jaartal.",
        )
    return d


def _make_date(y: int, m: int, d: int, shown: str) -> date:
    try:
        result = date(y, m, d)
    except ValueError:
        raise InvalidDate(f'"{shown}" is geen geldige datum') from None
    return _plausible(result, shown)


def parse_date(value: object) -> date:
    """A calendar date.

    Accepted: a real Excel date or date-time (the time is dropped), a plausible Excel serial
    number, and text ``31/12/2026``, ``31-12-2026``, ``31.12.2026`` (day first) or ``2026-12-31``.

    >>> parse_date("31/12/2026"), parse_date("1.2.2027"), parse_date("2026-12-31")
    (datetime.date(2026, 12, 31), datetime.date(2027, 2, 1), datetime.date(2026, 12, 31))
    >>> parse_date(46022)
    datetime.date(2025, 12, 31)
    >>> parse_date("31/02/2026")
    Traceback (most recent call last):
    batch.inbox.cells.InvalidDate: "31/02/2026" is geen geldige datum
    >>> parse_date("31/12/26")
    Traceback (most recent call last):
    batch.inbox.cells.InvalidDate: "31/12/26" heeft een jaartal van twee cijfers
    """
    if isinstance(value, datetime):
        return _plausible(value.date(), show(value))
    if isinstance(value, date):
        return _plausible(value, show(value))
    if isinstance(value, bool) or isinstance(value, (time, timedelta)):
        raise InvalidDate(f'"{show(value)}" is geen datum')
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value != int(value):
            raise InvalidDate(f'"{show(value)}" is geen datum')
        try:
            d = EXCEL_EPOCH + timedelta(days=int(value))
        except OverflowError:
            raise InvalidDate(f'"{show(value)}" is geen datum') from None
        return _plausible(d, show(value))
    text = clean(str(value))
    m = _DMY.fullmatch(text)
    if m:
        day, month, year = int(m[1]), int(m[3]), m[4]
        if len(year) != 4:
            raise InvalidDate(
                f'"{text}" heeft een jaartal van twee cijfers',
                "Schrijf het jaartal voluit, bv. 31/12/2026.",
            )
        return _make_date(int(year), month, day, text)
    m = _YMD.fullmatch(text)
    if m:
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    raise InvalidDate(f'"{text}" is geen datum')


# --- numbers ---------------------------------------------------------------------------------

_NUMBER_FORMS = (
    (re.compile(r"\d+", re.ASCII), None, None),  # 1234
    (re.compile(r"\d+,\d+", re.ASCII), None, ","),  # 1234,5
    (re.compile(r"\d{1,3}(?:\.\d{3})+,\d+", re.ASCII), ".", ","),  # 1.234,50
    (re.compile(r"\d{1,3}(?:\.\d{3}){2,}", re.ASCII), ".", None),  # 1.234.567
    (re.compile(r"\d+\.\d{1,2}", re.ASCII), None, "."),  # 1234.50
    (re.compile(r"\d+\.\d{4,}", re.ASCII), None, "."),  # 12.3456
    (re.compile(r"\d{1,3}(?:,\d{3})+\.\d+", re.ASCII), ",", "."),  # 1,234.50
    (re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?", re.ASCII), " ", ","),  # 1 234,50
)


def parse_decimal(value: object) -> Decimal:
    """A decimal number, exactly (never through binary float arithmetic).

    >>> parse_decimal("1.234,50"), parse_decimal("1234,5"), parse_decimal("1234.50")
    (Decimal('1234.50'), Decimal('1234.5'), Decimal('1234.50'))
    >>> parse_decimal(45.1), parse_decimal("€ 45,00"), parse_decimal("-3")
    (Decimal('45.1'), Decimal('45.00'), Decimal('-3'))
    >>> parse_decimal("1.234")
    Traceback (most recent call last):
    batch.inbox.cells.InvalidNumber: "1.234" is dubbelzinnig (1234 of 1,234?)
    """
    if isinstance(value, bool) or isinstance(value, (date, time, timedelta)):
        raise InvalidNumber(f'"{show(value)}" is geen getal')
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidNumber(f'"{value}" is geen getal')
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return Decimal(int(value))  # Excel stores 45 as 45.0; keep it 45
        try:
            result = to_decimal(value)
        except (InvalidOperation, ValueError):
            raise InvalidNumber(f'"{show(value)}" is geen getal') from None
        if not result.is_finite():
            raise InvalidNumber(f'"{show(value)}" is geen getal')
        return result
    text = clean(str(value))
    body = text.replace("\u00a0", " ").replace("\u202f", " ")
    for mark in ("€", "EUR", "eur"):
        body = body.replace(mark, "")
    body = body.strip()
    sign = ""
    if body[:1] in "-+" and body:
        sign, body = ("-" if body[0] == "-" else ""), body[1:].strip()
    if re.fullmatch(r"\d+\.\d{3}", body, re.ASCII):
        raise InvalidNumber(
            f'"{text}" is dubbelzinnig (1234 of 1,234?)',
            "Schrijf 1234 zonder punt, of 1,234 met een komma voor de decimalen.",
        )
    for pattern, thousands, point in _NUMBER_FORMS:
        if pattern.fullmatch(body):
            digits = body.replace(thousands, "") if thousands else body
            if point == ",":
                digits = digits.replace(",", ".")
            return Decimal(sign + digits)
    raise InvalidNumber(f'"{text}" is geen getal')


def decimal_places(number: Decimal) -> int:
    """How many decimals a number needs (trailing zeros do not count), at any size, never raising.

    >>> decimal_places(Decimal("12.345")), decimal_places(Decimal("12.340")), decimal_places(Decimal("1E+400"))
    (3, 2, 0)
    """
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    places, i = -exponent, len(digits)
    while places and i and digits[i - 1] == 0:
        places, i = places - 1, i - 1
    return places


def parse_int(value: object) -> int:
    """A whole number.

    >>> parse_int(3.0), parse_int("2")
    (3, 2)
    """
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise InvalidNumber(f'"{show(value)}" is geen geheel getal', "Schrijf een geheel getal, bv. 2.")
    return int(number)


# --- durations -------------------------------------------------------------------------------

_HMM = re.compile(r"(\d{1,3}):([0-5]\d)(?::00)?", re.ASCII)
MINUTES_PER_DAY = 24 * 60


def parse_minutes(value: object) -> int:
    """A duration in whole minutes, greater than zero.

    Minutes as a number, ``1:30`` (hours:minutes), or an Excel time value.

    >>> parse_minutes(20), parse_minutes("1:30"), parse_minutes("0:45"), parse_minutes(1 / 16)
    (20, 90, 45, 90)
    >>> parse_minutes(time(1, 30))
    90
    >>> parse_minutes("2,5")
    Traceback (most recent call last):
    batch.inbox.cells.InvalidDuration: "2,5" is geen geheel aantal minuten
    """
    shown = show(value)
    if isinstance(value, bool) or isinstance(value, date):
        raise InvalidDuration(f'"{shown}" is geen duur')
    if isinstance(value, time):
        if value.second or value.microsecond:
            raise InvalidDuration(f'"{shown}" is geen geheel aantal minuten')
        minutes = value.hour * 60 + value.minute
    elif isinstance(value, timedelta):
        seconds = value.total_seconds()
        if seconds % 60:
            raise InvalidDuration(f'"{shown}" is geen geheel aantal minuten')
        minutes = int(seconds // 60)
    elif isinstance(value, float) and math.isfinite(value) and 0 < value < 1:
        exact = value * MINUTES_PER_DAY  # an Excel time: a fraction of a day
        minutes = round(exact)
        if abs(exact - minutes) > 1e-6:
            raise InvalidDuration(f'"{shown}" is geen geheel aantal minuten')
    else:
        m = _HMM.fullmatch(str(value).strip()) if isinstance(value, str) else None
        if m:
            minutes = int(m[1]) * 60 + int(m[2])
        else:
            try:
                number = parse_decimal(value)
            except InvalidNumber:
                raise InvalidDuration(f'"{shown}" is geen duur') from None
            if number != number.to_integral_value():
                raise InvalidDuration(f'"{shown}" is geen geheel aantal minuten')
            minutes = int(number)
    if minutes <= 0:
        raise InvalidDuration(f'"{shown}" is geen duur groter dan nul')
    return minutes


# --- yes/no, choices, codes --------------------------------------------------------------

_YES = {"ja", "j", "oui", "o", "yes", "y", "x", "1", "true", "waar", "vrai"}
_NO = {"nee", "neen", "n", "non", "no", "0", "false", "onwaar", "faux"}


def parse_yesno(value: object, default: bool | None = None) -> bool:
    """Yes or no; an empty cell gives ``default`` (an error when there is none).

    >>> parse_yesno("Ja"), parse_yesno("non"), parse_yesno("x"), parse_yesno("", False), parse_yesno(1.0)
    (True, False, True, False, True)
    """
    if isinstance(value, bool):
        return value
    if is_empty(value):
        if default is None:
            raise InvalidYesNo("leeg, maar ja of nee is nodig")
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    key = normalize_header(show(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise InvalidYesNo(f'"{show(value)}" is geen ja of nee')


def parse_choice(value: object, column: Column) -> str:
    """One of ``column.choices`` (or an alias); case, spaces, dashes and accents do not matter.

    >>> from batch.schema import INTERVENTIES
    >>> parse_choice("Ter Plaatse", INTERVENTIES.column("kanaal")), parse_choice("phone", INTERVENTIES.column("kanaal"))
    ('ter plaatse', 'telefoon')
    >>> parse_choice("PC probleem", INTERVENTIES.column("soort"))
    'pc-probleem'
    """
    table = _choice_table(column)
    key = normalize_header(show(value)) if not isinstance(value, bool) else ""
    if key in table:
        return table[key]
    raise InvalidChoice(
        f'"{show(value)}" is geen toegelaten waarde',
        "Kies uit: " + ", ".join(column.choices) + ".",
    )


_LANGUAGES = {
    "nl": "nl", "nederlands": "nl", "dutch": "nl", "vlaams": "nl", "neerlandais": "nl",
    "fr": "fr", "frans": "fr", "francais": "fr", "french": "fr",
    "en": "en", "engels": "en", "english": "en", "anglais": "en",
}


def parse_language(value: object) -> str:
    """nl, fr or en.

    >>> parse_language("FR"), parse_language("Français"), parse_language("nl-BE")
    ('fr', 'fr', 'nl')
    """
    key = normalize_header(show(value))
    if len(key) == 4 and key[:2] in ("nl", "fr", "en"):  # nl-BE, fr-BE, en-GB
        key = key[:2]
    if key in _LANGUAGES:
        return _LANGUAGES[key]
    raise InvalidChoice(f'"{show(value)}" is geen taal', "Kies uit: nl, fr, en.")


def _territories() -> dict[str, str]:
    """Country names (nl, fr, en) and codes → ISO alpha-2 code, from babel's CLDR data."""
    names: dict[str, str] = {}
    for lang in ("en", "fr", "nl"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in ("ZZ", "XA", "XB", "EU", "EZ", "UN"):
                names.setdefault(normalize_header(name), code)
                names[code.lower()] = code
    return names


_COUNTRIES = _territories()


def parse_country(value: object) -> str:
    """An ISO 3166 alpha-2 code, upper case; a country name (nl/fr/en) is accepted too.

    >>> parse_country("be"), parse_country("Nederland"), parse_country("Luxembourg")
    ('BE', 'NL', 'LU')
    """
    key = normalize_header(show(value)) if not isinstance(value, bool) else ""
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    raise InvalidCountry(f'"{show(value)}" is geen landcode')


def vat_prefix(country: str) -> str | None:
    """The VAT prefix of an EU member state (Greece is EL), None outside the EU.

    >>> vat_prefix("GR"), vat_prefix("BE"), vat_prefix("CH")
    ('EL', 'BE', None)
    """
    if country.lower() not in eu_vat.MEMBER_STATES or country == "XI":
        return None
    return "EL" if country == "GR" else country


def parse_vat(value: object, country: str) -> tuple[str, bool]:
    """A VAT number → (compact form with prefix, valid?).

    Belgian customer: must be valid (``0403170701`` without prefix is fine), else
    :class:`InvalidVat`. Another EU country: an invalid number is returned with valid=False
    (the caller warns). Outside the EU: kept as text, valid=False.

    >>> parse_vat("0403.170.701", "BE"), parse_vat("NL 123", "NL")
    (('BE0403170701', True), ('NL123', False))
    """
    text = show(value).upper()
    prefix = vat_prefix(country)
    if prefix is None:
        return " ".join(text.split()), False
    compact = re.sub(r"[\s.\-/]", "", text)
    if compact[:2].isdigit():
        compact = prefix + compact
    try:
        valid = bool(eu_vat.is_valid(compact))
        if valid:
            compact = eu_vat.compact(compact)
    except Exception:  # python-stdnum's robustness is good, but never let it crash a row
        valid = False
    if not valid and country == "BE":
        raise InvalidVat(f'"{show(value)}" is geen geldig Belgisch btw-nummer')
    return compact, valid


_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}")
_PEPPOL = re.compile(r"(\d{4}):([A-Za-z0-9._\-]+)")


def parse_email(value: object) -> str:
    """One e-mail address, loosely checked.

    >>> parse_email(" Info@Juwelier.be ")
    'Info@Juwelier.be'
    """
    text = show(value)
    if not _EMAIL.fullmatch(text):
        raise InvalidEmail(f'"{text}" is geen e-mailadres')
    return text


def parse_peppol_id(value: object) -> str:
    """A Peppol participant id ``scheme:id`` with a four-digit scheme.

    >>> parse_peppol_id("0208: 0403170701")
    '0208:0403170701'
    """
    text = "".join(show(value).split())
    if not _PEPPOL.fullmatch(text):
        raise InvalidPeppolId(f'"{show(value)}" is geen Peppol-adres')
    from ..settings import PEPPOL_SCHEMES

    if text[:4] not in PEPPOL_SCHEMES:
        raise InvalidPeppolId(f'"{show(value)}": schema {text[:4]} staat niet op de Peppol-lijst',
                              "Gebruik een geldig schema, bv. 0208 gevolgd door het ondernemingsnummer.")
    return text
