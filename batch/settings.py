"""Settings: bijstand.toml → a frozen :class:`Settings`, with every default of SPEC §4 and §8–§12.

The file is validated in full when it is loaded (SPEC §8 T8, §9 L3): unknown sections and keys,
wrong types, values outside their choices, invoice number formats that would not make a safe,
unique file name, and the seller's identifiers (VAT number, enterprise number, IBAN, BIC, Peppol
id, e-mail). Every problem names the key and its line in the file; all problems are reported at
once. Identifiers are stored in their compact form (``BE 0403.170.701`` → ``BE0403170701``).
"""

from __future__ import annotations

import re
import tomllib
import typing
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .model import LANGUAGES, Party
from .problems import BijstandError

SETTINGS_FILE = "bijstand.toml"

REGIONS = ("flanders", "wallonia", "brussels")
REGION_LANGUAGE = {"flanders": "nl", "wallonia": "fr"}  # brussels: the customer's language


def region_of_postcode(postcode: str) -> str:
    """SPEC §9 L1: the language region of a Belgian postcode.

    >>> region_of_postcode("2000"), region_of_postcode("1050"), region_of_postcode("5000")
    ('flanders', 'brussels', 'wallonia')
    >>> region_of_postcode("1400"), region_of_postcode("4700"), region_of_postcode("B-8000")
    ('wallonia', 'wallonia', 'flanders')
    """
    digits = re.sub(r"\D", "", postcode or "")
    if len(digits) != 4:
        return "flanders"
    n = int(digits)
    if 1000 <= n <= 1299:
        return "brussels"
    if 1300 <= n <= 1499 or 4000 <= n <= 7999:
        return "wallonia"
    return "flanders"


@dataclass(frozen=True)
class Seller:
    name: str = "Juweelsoft BV"
    legal_form: str = "BV"  # WVV art. 2:20: BV, NV, CommV, SRL, SA, …
    street: str = "Meir 1"
    postcode: str = "2000"
    city: str = "Antwerpen"
    country: str = "BE"
    vat_number: str = "BE0403170701"
    enterprise_number: str = ""  # default: derived from the VAT number
    register: str = "RPR Antwerpen, afdeling Antwerpen"  # "RPR/RPM" + court division
    iban: str = "BE71096123456769"
    bic: str = "GKCCBEBB"
    email: str = "facturen@juweelsoft.be"
    website: str = ""
    phone: str = ""
    peppol_id: str = ""  # default: 0208:<enterprise number>
    region: str = ""  # flanders | wallonia | brussels; default: from the postcode (SPEC §9 L1)

    @property
    def company_id(self) -> str:
        """The Belgian enterprise number (KBO/BCE, 10 digits)."""
        if self.enterprise_number:
            return self.enterprise_number
        return self.vat_number[2:] if self.vat_number.upper().startswith("BE") else self.vat_number

    @property
    def legal_region(self) -> str:
        return self.region or (region_of_postcode(self.postcode) if self.country == "BE" else "flanders")

    def legal_language(self, customer_language: str) -> str:
        """The language of the legal version of a document for a customer (SPEC §9 L1)."""
        return REGION_LANGUAGE.get(self.legal_region, customer_language)

    def party(self) -> Party:
        return Party(
            name=self.name, street=self.street, postcode=self.postcode, city=self.city,
            country=self.country, vat_number=self.vat_number, company_id=self.company_id,
            email=self.email, peppol_id=self.peppol_id or f"0208:{self.company_id}",
            iban=self.iban, bic=self.bic, phone=self.phone or None, legal_form=self.legal_form or None,
            register=self.register or None, website=self.website or None,
        )


@dataclass(frozen=True)
class Billing:
    start: date | None = None  # default: first day of the first quarter ever run
    fee_timing: str = "advance"  # advance | arrears
    proration: str = "daily"  # daily | none
    increment_minutes: int = 15
    minimum_minutes_without_agreement: int = 60
    holiday_phone: str = "billable"  # billable | included
    intervention_billing: str = "quarterly"  # quarterly | monthly (SPEC §9 L7)
    max_minutes: int = 480  # SPEC §8 T7
    max_quantity: int = 100


@dataclass(frozen=True)
class InvoiceSettings:
    number_format: str = "{year}-{seq:06d}"
    credit_number_format: str = ""  # empty: credit notes share the invoice sequence
    payment_days: int = 30
    vat_rate: Decimal = Decimal("21")
    language: str = "nl"
    max_total: Decimal = Decimal("25000.00")  # SPEC §8 T7, excl. VAT


@dataclass(frozen=True)
class Accounts:
    fee: str = "700000"
    regie: str = "700100"
    upgrade: str = "700200"
    receivables: str = "400000"
    vat_payable: str = "451000"
    journal: str = "VKP"  # the sales journal's code in the accounting package


@dataclass(frozen=True)
class Vat:
    period: str = "quarter"  # quarter | month: how often the VAT return is filed


@dataclass(frozen=True)
class Ui:
    language: str = "nl"  # the bookkeeper's language in the terminal: nl | fr | en


@dataclass(frozen=True)
class PeppolDelivery:
    provider: str = ""  # empty: Peppol not configured; generic | billit
    url: str = ""
    api_key_env: str = "BIJSTAND_PEPPOL_KEY"  # the environment variable that holds the secret
    party_id: str = ""  # Billit: the PartyID of your company


@dataclass(frozen=True)
class EmailDelivery:
    host: str = ""  # empty: e-mail not configured
    port: int = 587
    security: str = "starttls"  # starttls | tls | none
    username: str = ""
    password_env: str = "BIJSTAND_SMTP_PASSWORD"
    sender: str = ""  # "from" in bijstand.toml
    reply_to: str = ""
    bcc: str = ""


@dataclass(frozen=True)
class Delivery:
    email_copy: bool = False  # also e-mail a copy to Peppol customers that have an address
    attach_workbook: bool = False
    peppol: PeppolDelivery = field(default_factory=PeppolDelivery)
    email: EmailDelivery = field(default_factory=EmailDelivery)


@dataclass(frozen=True)
class Reminders:
    first_days: int = 10
    second_days: int = 30
    third_days: int = 60
    interest_from_level: int = 2
    compensation: Decimal = Decimal("40.00")
    number_format: str = "H{year}-{seq:05d}"


@dataclass(frozen=True)
class Settings:
    seller: Seller = field(default_factory=Seller)
    billing: Billing = field(default_factory=Billing)
    invoice: InvoiceSettings = field(default_factory=InvoiceSettings)
    accounts: Accounts = field(default_factory=Accounts)
    vat: Vat = field(default_factory=Vat)
    ui: Ui = field(default_factory=Ui)
    delivery: Delivery = field(default_factory=Delivery)
    reminders: Reminders = field(default_factory=Reminders)

    def as_dict(self) -> dict:
        """Plain values (dates and decimals as text), for the manifest and the summary."""

        def plain(v):
            if isinstance(v, (date, Decimal)):
                return str(v)
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            return v

        return plain(asdict(self))


# keys whose name in bijstand.toml differs from the field ("from" is a Python keyword)
_TOML_NAME = {("delivery.email", "sender"): "from"}

_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("seller", "region"): ("",) + REGIONS,
    ("billing", "fee_timing"): ("advance", "arrears"),
    ("billing", "proration"): ("daily", "none"),
    ("billing", "holiday_phone"): ("billable", "included"),
    ("billing", "intervention_billing"): ("quarterly", "monthly"),
    ("invoice", "language"): LANGUAGES,
    ("vat", "period"): ("quarter", "month"),
    ("ui", "language"): LANGUAGES,
    ("delivery.peppol", "provider"): ("", "generic", "billit"),
    ("delivery.email", "security"): ("starttls", "tls", "none"),
}

# integer settings and their smallest allowed value
_MINIMUM = {("billing", "increment_minutes"): 1, ("billing", "max_minutes"): 1, ("billing", "max_quantity"): 1,
            ("invoice", "payment_days"): 0, ("reminders", "interest_from_level"): 1,
            ("reminders", "first_days"): 1, ("reminders", "second_days"): 1, ("reminders", "third_days"): 1,
            ("delivery.email", "port"): 1}


class SettingsError(BijstandError):
    """bijstand.toml has one or more invalid settings; the message lists each with its line."""


# --- number formats (SPEC §8 T8) -------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(year|seq)(?::(0?)(\d{1,2})d)?\}")
_LITERAL = re.compile(r"[A-Za-z0-9_.\-]*")


def check_number_format(fmt: str) -> str | None:
    """Why a number format is unsafe, or None. Only ``{year}`` and ``{seq}`` (with an optional
    zero-padded width like ``{seq:06d}``), ``{seq}`` required, and only letters, digits, ``-``,
    ``_`` and ``.`` around them, so that every number is a safe file name.

    >>> check_number_format("{year}-{seq:06d}") is None, check_number_format("F{seq:05d}") is None
    (True, True)
    >>> check_number_format("{year}/{seq:04d}")
    "'/' is not allowed: use only letters, digits, '-', '_' and '.' around {year} and {seq}"
    >>> check_number_format("{foo}-{seq}")
    "'{foo}' is not a placeholder: use {year} and {seq} (e.g. {seq:06d})"
    >>> check_number_format("{year}")
    'it needs {seq}, the sequence number'
    """
    if not isinstance(fmt, str) or not fmt:
        return "it is empty"
    pos, seen = 0, []
    for m in _PLACEHOLDER.finditer(fmt):
        literal = fmt[pos:m.start()]
        bad = _bad_literal(literal)
        if bad:
            return bad
        if m.group(3) and m.group(2) != "0" and m.group(1) == "seq" and int(m.group(3)) > 1:
            return f"'{m.group(0)}': write the width zero-padded, e.g. {{seq:0{m.group(3)}d}}"
        seen.append(m.group(1))
        pos = m.end()
    bad = _bad_literal(fmt[pos:])
    if bad:
        return bad
    if "seq" not in seen:
        return "it needs {seq}, the sequence number"
    if seen.count("seq") > 1 or seen.count("year") > 1:
        return "{year} and {seq} may each appear once"
    if fmt.startswith(".") or ".." in fmt:
        return "it may not start with '.' or hold '..'"
    return None


def _bad_literal(text: str) -> str | None:
    brace = re.search(r"\{[^}]*\}?", text)
    if brace:
        return f"'{brace.group(0)}' is not a placeholder: use {{year}} and {{seq}} (e.g. {{seq:06d}})"
    if "}" in text:
        return "'}' without '{'"
    m = _LITERAL.fullmatch(text)
    if m is None:
        ch = next(c for c in text if not re.fullmatch(r"[A-Za-z0-9_.\-]", c))
        return f"{ch!r} is not allowed: use only letters, digits, '-', '_' and '.' around {{year}} and {{seq}}"
    return None


def format_has_year(fmt: str) -> bool:
    """Whether a number format restarts its sequence every calendar year (it holds ``{year}``).

    >>> format_has_year("{year}-{seq:06d}"), format_has_year("F{seq:05d}")
    (True, False)
    """
    return any(m.group(1) == "year" for m in _PLACEHOLDER.finditer(fmt))


def format_number(fmt: str, year: int, seq: int) -> str:
    """``fmt`` (already checked) with its year and sequence filled in.

    >>> format_number("{year}-{seq:06d}", 2027, 12), format_number("F{seq:05d}", 2027, 12)
    ('2027-000012', 'F00012')
    """
    return fmt.format(year=year, seq=seq)


def _skeleton(fmt: str) -> str:
    return _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", fmt)


# --- identifiers (SPEC §9 L3) ----------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                    r"[A-Za-z0-9])?)+")


def valid_email(text: str) -> bool:
    """One plain e-mail address.

    >>> valid_email("facturen@juweelsoft.be"), valid_email("a@b"), valid_email("x y@z.be")
    (True, False, False)
    """
    return bool(_EMAIL.fullmatch(text or ""))


def _check_seller(seller: Seller, say) -> Seller:
    """The seller with its identifiers compacted; every invalid one reported through ``say``."""
    from stdnum import bic as std_bic
    from stdnum import iban as std_iban
    from stdnum.be import iban as be_iban
    from stdnum.be import vat as be_vat
    from stdnum.eu import vat as eu_vat
    from stdnum.exceptions import ValidationError

    changes: dict[str, str] = {}
    if not seller.name.strip():
        say("name", "is empty: the seller's name is printed on every invoice")
    country = seller.country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        say("country", f"{seller.country!r} is not a two-letter country code (BE)")
    changes["country"] = country
    vat = seller.vat_number
    try:
        if country == "BE" or vat.upper().replace(" ", "").startswith("BE") or vat[:1].isdigit():
            compact = "BE" + be_vat.validate(vat)
        else:
            compact = eu_vat.validate(vat)
        changes["vat_number"] = compact
    except ValidationError as exc:
        say("vat_number", f"{vat!r} is not a valid VAT number ({exc.message}) — write it like BE0403170701")
        compact = None
    if seller.enterprise_number:
        digits = re.sub(r"\D", "", seller.enterprise_number).zfill(10)
        if compact and compact.startswith("BE") and digits != compact[2:]:
            say("enterprise_number", f"{seller.enterprise_number!r} does not match the VAT number {compact} "
                "(a Belgian VAT number is BE + the enterprise number)")
        changes["enterprise_number"] = digits
    try:
        number = std_iban.validate(seller.iban)
        if number.startswith("BE"):
            number = be_iban.validate(number)
        changes["iban"] = number
    except ValidationError as exc:
        say("iban", f"{seller.iban!r} is not a valid IBAN ({exc.message}) — copy it from a bank statement")
    try:
        changes["bic"] = std_bic.validate(seller.bic)
    except ValidationError as exc:
        say("bic", f"{seller.bic!r} is not a valid BIC ({exc.message}), e.g. GKCCBEBB")
    if not valid_email(seller.email):
        say("email", f"{seller.email!r} is not an e-mail address")
    if seller.peppol_id:
        why = peppol_id_problem(seller.peppol_id)
        if why:
            say("peppol_id", f"{seller.peppol_id!r} {why}")
    if not seller.legal_form.strip():
        say("legal_form", "is empty: the legal form (BV, NV, SRL, …) must be on every invoice (WVV art. 2:20)")
    if country == "BE" and not seller.register.strip():
        say("register", "is empty: write 'RPR <court>, afdeling <division>' (WVV art. 2:20)")
    if seller.website and not re.fullmatch(r"(https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?", seller.website):
        say("website", f"{seller.website!r} is not a web address")
    return replace(seller, **changes)


# EAS codes a Peppol participant id may use (Peppol code list, May 2026 release; withdrawn ones left out)
PEPPOL_SCHEMES = frozenset(
    "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0151 0183 0184 0188 0190 0191 0192 0195 0196 "
    "0198 0199 0200 0201 0204 0208 0209 0210 0211 0216 0218 0221 0225 0230 0235 0240 0242 0244 9901 9910 9913 "
    "9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 "
    "9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959".split()
) - frozenset({"0037"})


def peppol_id_problem(text: str) -> str | None:
    """Why a Peppol participant id ``scheme:id`` cannot be used, or None.

    >>> peppol_id_problem("0208:0403170701") is None
    True
    >>> peppol_id_problem("0208:0403170702")
    'has an invalid Belgian enterprise number after 0208:'
    >>> peppol_id_problem("1234:abc")
    'uses the scheme 1234, which is not on the Peppol list (e.g. 0208 for a Belgian enterprise number)'
    """
    scheme, sep, ident = (text or "").partition(":")
    if not sep or not re.fullmatch(r"\d{4}", scheme) or not ident.strip():
        return "is not a Peppol id: write it as scheme:number, e.g. 0208:0403170701"
    if scheme not in PEPPOL_SCHEMES:
        return f"uses the scheme {scheme}, which is not on the Peppol list (e.g. 0208 for a Belgian enterprise number)"
    if scheme == "0208":
        from stdnum.be import vat as be_vat

        if not be_vat.is_valid(ident):
            return "has an invalid Belgian enterprise number after 0208:"
    if not re.fullmatch(r"[A-Za-z0-9:._\-]+", ident):
        return "holds characters a Peppol id cannot have"
    return None


# --- loading ---------------------------------------------------------------------------------


def _lines_of(text: str) -> dict[tuple[str, str], int]:
    """Line number of every ``[table]`` header (key "") and ``key =`` in a TOML text."""
    out: dict[tuple[str, str], int] = {}
    table = ""
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        m = re.match(r"\[\s*([A-Za-z0-9_.\- ]+?)\s*\]", s)
        if m:
            table = m.group(1).replace(" ", "")
            out.setdefault((table, ""), n)
            continue
        m = re.match(r'"?([A-Za-z0-9_\-]+)"?\s*=', s)
        if m:
            out.setdefault((table, m.group(1)), n)
    return out


def _field_types(cls) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _convert(value, kind, where: str):
    """``value`` as ``kind`` (str, int, bool, Decimal, date | None), or a message why not."""
    if kind is str:
        if not isinstance(value, str):
            return None, f"must be text in quotes, not {value!r}"
        return value.strip(), None
    if kind is bool:
        if not isinstance(value, bool):
            return None, f"must be true or false, not {value!r}"
        return value, None
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"must be a whole number, not {value!r}"
        return value, None
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return None, f"must be a number, not {value!r}"
        try:
            d = Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) else Decimal(str(value))
        except InvalidOperation:
            return None, f"must be a number, not {value!r}"
        if not d.is_finite() or d < 0:
            return None, f"must be a positive number, not {value!r}"
        return d, None
    if kind == (date | None):
        if value in ("", None):
            return None, None
        if isinstance(value, date):
            return value, None
        try:
            return date.fromisoformat(str(value).strip()), None
        except ValueError:
            return None, f"{value!r} is not a date — write it as 2026-10-01, or leave it empty"
    raise TypeError(kind)  # pragma: no cover - a field type this loader does not know


def _build(cls, given: dict, table: str, lines, problems: list[str], path: Path):
    """An instance of the settings section ``cls`` from its TOML table; problems collected."""
    hints = _field_types(cls)
    defaults = cls()
    known = {f.name: f for f in fields(cls)}
    toml_names = {_TOML_NAME.get((table, name), name): name for name in known}
    toml_names.update({name: name for name in known})  # the field's own name (as stored by as_dict)
    kwargs = {}

    def say(key: str, message: str):
        line = lines.get((table, key)) or lines.get((table, ""))
        problems.append(f"{path.name}{f', line {line}' if line else ''}: [{table}] {key} {message}")

    for key, value in given.items():
        name = toml_names.get(key)
        if name is None:
            subtables = [k for k in toml_names if is_dataclass(hints[toml_names[k]])]
            listed = ", ".join(k for k in toml_names if k not in subtables)
            say(key, f"is not a known setting — known in [{table}]: {listed}"
                + (f"; tables: {', '.join(f'[{table}.{s}]' for s in subtables)}" if subtables else ""))
            continue
        kind = hints[name]
        if is_dataclass(kind):
            if not isinstance(value, dict):
                say(key, f"must be a table [{table}.{key}]")
                continue
            kwargs[name] = _build(kind, value, f"{table}.{key}", lines, problems, path)[0]
            continue
        converted, why = _convert(value, kind, table)
        if why:
            say(key, why)
            continue
        choices = _CHOICES.get((table, name))
        if choices is not None and converted not in choices:
            say(key, f"= {value!r} is not allowed — use one of: {', '.join(repr(c) for c in choices if c)}")
            continue
        minimum = _MINIMUM.get((table, name))
        if minimum is not None and converted < minimum:
            say(key, f"= {value!r} must be at least {minimum}")
            continue
        if kind is int and converted > 10**6:
            say(key, f"= {value!r} is implausibly large")
            continue
        kwargs[name] = converted
    built = cls(**{**{f.name: getattr(defaults, f.name) for f in fields(cls)}, **kwargs})
    return built, say


def load_settings(workspace: Path) -> Settings:
    """Read ``bijstand.toml`` of a workspace; every invalid setting is reported (SettingsError)."""
    path = Path(workspace) / SETTINGS_FILE
    if not path.exists():
        raise BijstandError(
            f"{path} not found — is this a workspace? Create one with: bijstand init {workspace}"
        )
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text — save it again as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc}) — fix the line it names") from None
    except OSError as exc:
        raise BijstandError(f"{path} cannot be read: {exc.strerror or exc}") from None
    return settings_from_dict(data, path, text)


SECTIONS = {"seller": Seller, "billing": Billing, "invoice": InvoiceSettings, "accounts": Accounts, "vat": Vat,
            "ui": Ui, "delivery": Delivery, "reminders": Reminders}


def settings_from_dict(data: dict, path: Path = Path(SETTINGS_FILE), text: str = "", *,
                       validate: bool = True) -> Settings:
    """Settings from parsed TOML; raises :class:`SettingsError` listing every problem.

    ``validate=False`` (settings stored with an issued run, read back to render it again) checks
    the types only: the documents must come out as they were issued."""
    lines = _lines_of(text)
    problems: list[str] = []
    built = {}
    says = {}
    for key in data:
        if key not in SECTIONS:
            line = lines.get((key, ""))
            problems.append(f"{path.name}{f', line {line}' if line else ''}: [{key}] is not a known section — "
                            f"known: {', '.join('[' + s + ']' for s in SECTIONS)}")
    for section, cls in SECTIONS.items():
        given = data.get(section, {})
        if not isinstance(given, dict):
            problems.append(f"{path.name}: {section} must be a table [{section}]")
            given = {}
        built[section], says[section] = _build(cls, given, section, lines, problems, path)
    if not validate:
        if problems:
            raise SettingsError("stored settings do not load:\n" + "\n".join(problems))
        return Settings(**built)
    # whole-value checks that need more than one key
    for section, key, fmt in (("invoice", "number_format", built["invoice"].number_format),
                              ("invoice", "credit_number_format", built["invoice"].credit_number_format),
                              ("reminders", "number_format", built["reminders"].number_format)):
        if key == "credit_number_format" and not fmt:
            continue
        why = check_number_format(fmt)
        if why:
            says[section](key, f"= {fmt!r}: {why}")
    inv = built["invoice"]
    formats = [("invoice.number_format", inv.number_format)]
    if inv.credit_number_format:
        formats.append(("invoice.credit_number_format", inv.credit_number_format))
    formats.append(("reminders.number_format", built["reminders"].number_format))
    skeletons = [(_skeleton(f), name) for name, f in formats if check_number_format(f) is None]
    for i, (sk, name) in enumerate(skeletons):
        for other_sk, other in skeletons[:i]:
            if sk == other_sk or format_number(sk, 2027, 1) == format_number(other_sk, 2027, 1):
                section, key = name.split(".")
                says[section](key, f"gives the same numbers as {other}: give it its own prefix, e.g. C{{year}}-{{seq:06d}}")
    if not built["accounts"].journal.strip():
        says["accounts"]("journal", "is empty: journal.csv gives every document its sales journal's code in your "
                         "accounting package — write it, e.g. journal = \"VKP\"")
    if inv.vat_rate > 100:
        says["invoice"]("vat_rate", f"= {inv.vat_rate} is not a percentage")
    rem = built["reminders"]
    if not rem.first_days < rem.second_days < rem.third_days:
        says["reminders"]("second_days", "must lie between first_days and third_days (e.g. 10, 30, 60)")
    em = built["delivery"].email
    if em.host:
        for key, value in (("from", em.sender), ("reply_to", em.reply_to), ("bcc", em.bcc)):
            if value and not valid_email(value):
                _say_nested(problems, path, lines, "delivery.email", key, f"{value!r} is not an e-mail address")
        if not em.sender:
            _say_nested(problems, path, lines, "delivery.email", "from", "is empty: the sender's address is needed")
    pp = built["delivery"].peppol
    if pp.provider and not re.fullmatch(r"https?://\S+", pp.url or ""):
        _say_nested(problems, path, lines, "delivery.peppol", "url",
                    f"{pp.url!r} is not an http(s) address of the access point")
    for table, key, env in (("delivery.peppol", "api_key_env", pp.api_key_env),
                            ("delivery.email", "password_env", em.password_env)):
        if env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", env):
            _say_nested(problems, path, lines, table, key,
                        f"{env!r} must be the NAME of an environment variable (never the secret itself)")
    built["seller"] = _check_seller(built["seller"], says["seller"])
    if problems:
        problems.sort(key=lambda p: int(m.group(1)) if (m := re.search(r", line (\d+):", p)) else 0)
        raise SettingsError(f"{len(problems)} invalid setting(s) in {path.name}:\n"
                            + "\n".join(f"  {p}" for p in problems)
                            + "\nFix them in the file (the comments there say what each setting means), "
                              "then run the command again.")
    return Settings(**built)


def _say_nested(problems: list[str], path: Path, lines, table: str, key: str, message: str) -> None:
    line = lines.get((table, key)) or lines.get((table, ""))
    problems.append(f"{path.name}{f', line {line}' if line else ''}: [{table}] {key} {message}")


DEFAULT_TOML = '''\
# bijstand — settings of this workspace (SPEC §4). Lines starting with # are comments.
# Every setting is checked when a command starts; a wrong one is reported with its line.

[seller]
# Your company, as it appears on every invoice and in the Peppol UBL files (WVV art. 2:20).
name = "Juweelsoft BV"
legal_form = "BV"                # BV, NV, CommV, SRL, SA, …
street = "Meir 1"
postcode = "2000"
city = "Antwerpen"
country = "BE"
vat_number = "BE0403170701"      # with country prefix; the enterprise number is derived from it
# enterprise_number = ""         # empty: from the VAT number (BE + the 10 digits of the KBO/BCE number)
register = "RPR Antwerpen, afdeling Antwerpen"   # RPR/RPM and the court division of your seat
iban = "BE71096123456769"
bic = "GKCCBEBB"
email = "facturen@juweelsoft.be"
website = ""
phone = ""
peppol_id = ""                   # empty: 0208:<enterprise number>
region = ""                      # flanders, wallonia or brussels: decides the invoices' legal language
                                 # (Dutch in Flanders, French in Wallonia, the customer's in Brussels);
                                 # empty: from the postcode above

[billing]
# First day that bijstand bills; older periods were billed by the old system.
# Leave empty to use the first day of the first quarter ever run in this workspace: the first
# run then says which date it fixed and what that leaves to the old system.
start = ""
fee_timing = "advance"           # advance: fees through the quarter, interventions of the quarter before
                                 # arrears: fees and interventions through the end of the quarter
proration = "daily"              # daily: partial month = fee x days / days in month; none: whole month
increment_minutes = 15           # billable minutes are rounded up to a multiple of this
minimum_minutes_without_agreement = 60   # seed: minimum 1 hour per intervention without agreement
holiday_phone = "billable"       # billable: phone support during holidays is not covered; included: it is
intervention_billing = "quarterly"   # quarterly, or monthly: `bijstand run 2027-01` bills January's
                                     # interventions by 15 February (art. 53 § 2 WBTW)
max_minutes = 480                # an intervention longer than this is an error (a typo?)
max_quantity = 100               # a licence quantity above this is an error

[invoice]
number_format = "{year}-{seq:06d}"   # {year} and {seq}; letters, digits, - _ . around them
                                     # with {year} the sequence restarts every calendar year
credit_number_format = ""           # empty: credit notes take the next number of the same sequence
payment_days = 30
vat_rate = 21                       # percent, Belgian standard rate
language = "nl"                     # default language of a customer without one: nl, fr or en
max_total = 25000.00                # an invoice above this (excl. VAT) is held as implausible

[accounts]
# General-ledger accounts (Belgian PCMN / MAR)
fee = "700000"          # agreement fees
regie = "700100"        # interventions at the regie rate
upgrade = "700200"      # upgrades
receivables = "400000"  # trade debtors
vat_payable = "451000"  # VAT payable
journal = "VKP"         # code of the sales journal in your accounting package

[vat]
period = "quarter"      # quarter or month: how often you file the VAT return (bijstand btw)

# The sections below are written as comments with their defaults: remove the # before the
# [section] line and before the keys you change.

# [delivery]
# `bijstand send` (SPEC §11): Peppol when the customer has a Peppol address and [delivery.peppol] is
# set up, else e-mail through [delivery.email], else the document is listed to print and post.
# email_copy = false       # true: also e-mail a copy to Peppol customers that have an e-mail address
# attach_workbook = false  # true: attach the invoice workbook (xlsx) to the e-mail, besides PDF and UBL

# [delivery.peppol]
# Your Peppol access point. Secrets never go in this file: api_key_env NAMES the environment variable
# that holds the key (export BIJSTAND_PEPPOL_KEY='...' in the shell that runs bijstand).
# provider = ""            # empty: no Peppol; billit, or generic (the UBL POSTed to url with a Bearer key)
# url = ""                 # e.g. https://api.sandbox.billit.be (test there first), then https://api.billit.be
# api_key_env = "BIJSTAND_PEPPOL_KEY"
# party_id = ""            # Billit: the PartyID of your company (MyBillit -> My company)

# [delivery.email]
# Your mail provider's SMTP submission server; the password is in the environment variable password_env.
# host = ""                # empty: no e-mail; e.g. smtp.example.be
# port = 587
# security = "starttls"    # starttls (port 587), tls (port 465) or none (a local relay)
# username = ""
# password_env = "BIJSTAND_SMTP_PASSWORD"
# from = ""                # the sender's address (required once host is set)
# reply_to = ""
# bcc = ""                 # e.g. an archive address that gets a copy of every e-mail

# [reminders]
# `bijstand reminders` (SPEC §12 P4): levels by days past the due date, each sent once per invoice.
# first_days = 10          # level 1, a reminder
# second_days = 30         # level 2, a second reminder
# third_days = 60          # level 3, the formal notice (ingebrekestelling)
# interest_from_level = 2  # from this level: the statutory late-payment interest (law of 2 August 2002,
#                          # tarieven.xlsx sheet Intrest) and, once per invoice, the flat compensation
# compensation = 40.00     # the flat compensation for recovery costs (art. 6), in EUR
# number_format = "H{year}-{seq:05d}"   # the reminders' own number sequence: {year} and {seq}, as invoices

[ui]
language = "nl"         # language of the terminal messages: nl, fr or en
'''
