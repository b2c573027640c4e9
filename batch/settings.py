"""Settings: bijstand.toml → a frozen :class:`Settings`, with every default of SPEC §4."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, asdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from .model import LANGUAGES, Party
from .problems import BijstandError

SETTINGS_FILE = "bijstand.toml"


@dataclass(frozen=True)
class Seller:
    name: str = "Juweelsoft BV"
    street: str = "Meir 1"
    postcode: str = "2000"
    city: str = "Antwerpen"
    country: str = "BE"
    vat_number: str = "BE0403170701"
    iban: str = "BE68539007547034"
    bic: str = "GKCCBEBB"
    email: str = "facturen@juweelsoft.be"
    phone: str = ""
    peppol_id: str = ""  # default: 0208:<enterprise number>

    @property
    def company_id(self) -> str:
        """The Belgian enterprise number (KBO/BCE), i.e. the VAT number without BE."""
        return self.vat_number[2:] if self.vat_number.upper().startswith("BE") else self.vat_number

    def party(self) -> Party:
        return Party(
            name=self.name, street=self.street, postcode=self.postcode, city=self.city,
            country=self.country, vat_number=self.vat_number, company_id=self.company_id,
            email=self.email, peppol_id=self.peppol_id or f"0208:{self.company_id}",
            iban=self.iban, bic=self.bic, phone=self.phone or None,
        )


@dataclass(frozen=True)
class Billing:
    start: date | None = None  # default: first day of the first quarter ever run
    fee_timing: str = "advance"  # advance | arrears
    proration: str = "daily"  # daily | none
    increment_minutes: int = 15
    minimum_minutes_without_agreement: int = 60
    holiday_phone: str = "billable"  # billable | included


@dataclass(frozen=True)
class InvoiceSettings:
    number_format: str = "{year}-{seq:06d}"
    credit_number_format: str = ""  # empty: credit notes share the invoice sequence
    payment_days: int = 30
    vat_rate: Decimal = Decimal("21")
    language: str = "nl"


@dataclass(frozen=True)
class Accounts:
    fee: str = "700000"
    regie: str = "700100"
    upgrade: str = "700200"
    receivables: str = "400000"
    vat_payable: str = "451000"

    def for_kind(self, kind: str) -> str:
        return {"fee": self.fee, "regie": self.regie, "upgrade": self.upgrade}[kind]


@dataclass(frozen=True)
class Settings:
    seller: Seller = field(default_factory=Seller)
    billing: Billing = field(default_factory=Billing)
    invoice: InvoiceSettings = field(default_factory=InvoiceSettings)
    accounts: Accounts = field(default_factory=Accounts)

    def as_dict(self) -> dict:
        """Plain values (dates and decimals as text), for the manifest and the summary."""

        def plain(v):
            if isinstance(v, (date, Decimal)):
                return str(v)
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            return v

        return plain(asdict(self))


_CHOICES = {
    ("billing", "fee_timing"): ("advance", "arrears"),
    ("billing", "proration"): ("daily", "none"),
    ("billing", "holiday_phone"): ("billable", "included"),
    ("invoice", "language"): LANGUAGES,
}


def _convert(section: str, name: str, default_type, value, path: Path):
    where = f"{path.name}: [{section}] {name}"
    if (section, name) in _CHOICES and value not in _CHOICES[(section, name)]:
        allowed = ", ".join(_CHOICES[(section, name)])
        raise BijstandError(f"{where} = {value!r} is not allowed — use one of: {allowed}")
    try:
        if name == "start":
            if value in ("", None):
                return None
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if default_type is Decimal:
            return Decimal(str(value))
        if default_type is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError
            return value
        return str(value)
    except (ValueError, ArithmeticError):
        raise BijstandError(f"{where} = {value!r} is not valid — see the comments in {path.name}") from None


def load_settings(workspace: Path) -> Settings:
    """Read ``bijstand.toml`` of a workspace; unknown keys and bad values are errors."""
    path = Path(workspace) / SETTINGS_FILE
    if not path.exists():
        raise BijstandError(
            f"{path} not found — is this a workspace? Create one with: bijstand init {workspace}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BijstandError(f"{path}: not valid TOML ({exc}) — fix the line it names") from None
    return settings_from_dict(data, path)


def settings_from_dict(data: dict, path: Path = Path(SETTINGS_FILE)) -> Settings:
    sections = {"seller": Seller, "billing": Billing, "invoice": InvoiceSettings, "accounts": Accounts}
    built = {}
    for section, cls in sections.items():
        given = data.get(section, {}) or {}
        if not isinstance(given, dict):
            raise BijstandError(f"{path.name}: [{section}] must be a table")
        defaults = cls()
        known = {f.name: f for f in fields(cls)}
        kwargs = {}
        for key, value in given.items():
            if key not in known:
                raise BijstandError(
                    f"{path.name}: [{section}] has an unknown setting {key!r} — known: {', '.join(known)}"
                )
            kwargs[key] = _convert(section, key, type(getattr(defaults, key)) if key != "start" else date,
                                   value, path)
        built[section] = cls(**kwargs)
    unknown = set(data) - set(sections)
    if unknown:
        raise BijstandError(f"{path.name}: unknown section(s) {', '.join(sorted(unknown))}")
    return Settings(**built)


DEFAULT_TOML = '''\
# bijstand — settings of this workspace (SPEC §4). Lines starting with # are comments.

[seller]
# Your company, as it appears on every invoice and in the Peppol UBL files.
name = "Juweelsoft BV"
street = "Meir 1"
postcode = "2000"
city = "Antwerpen"
country = "BE"
vat_number = "BE0403170701"      # with country prefix; the enterprise number is derived from it
iban = "BE68539007547034"
bic = "GKCCBEBB"
email = "facturen@juweelsoft.be"
phone = ""
peppol_id = ""                   # empty: 0208:<enterprise number>

[billing]
# First day that bijstand bills; older periods were billed by the old system.
# Leave empty to use the first day of the first quarter ever run in this workspace.
start = ""
fee_timing = "advance"           # advance: fees through the quarter, interventions of the quarter before
                                 # arrears: fees and interventions through the end of the quarter
proration = "daily"              # daily: partial month = fee x days / days in month; none: whole month
increment_minutes = 15           # billable minutes are rounded up to a multiple of this
minimum_minutes_without_agreement = 60   # seed: minimum 1 hour per intervention without agreement
holiday_phone = "billable"       # billable: phone support during holidays is not covered; included: it is

[invoice]
number_format = "{year}-{seq:06d}"   # {year} and {seq}; the sequence restarts every calendar year
credit_number_format = ""           # empty: credit notes take the next number of the same sequence
payment_days = 30
vat_rate = 21                       # percent, Belgian standard rate
language = "nl"                     # default invoice language: nl, fr or en

[accounts]
# General-ledger accounts (Belgian PCMN / MAR)
fee = "700000"          # agreement fees
regie = "700100"        # interventions at the regie rate
upgrade = "700200"      # upgrades
receivables = "400000"  # trade debtors
vat_payable = "451000"  # VAT payable
'''
