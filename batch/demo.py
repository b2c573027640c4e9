"""The demo workspace: a year of realistic, seeded input for ~150 jewelers.

:func:`build_demo` writes settings (``billing.start = 2026-01-01``), tariffs (the module
catalogue with a price change on 2026-07-01, regie rates, holiday periods), the empty
templates and twelve monthly inbox folders ``inbox/2025-12`` … ``inbox/2026-11``, and returns
the quarters to run with their invoice dates. The same seed gives the same bytes.

What the year holds: customers in Flanders, Brussels, Wallonia and a few in NL/FR/LU with
valid VAT numbers (python-stdnum), in nl/fr/en; new customers every month; modules bought
mid-quarter; licences that end; cancellations by brief, e-mail and fax followed by
interventions (some adapting the package, R8); a customer without agreement
(``overeenkomst = nee``) and customers with an agreed later start; interventions of every
``kanaal`` and ``soort``, phone calls during holidays, durations such as ``20`` and ``1:30``,
a few logged a month late. The bookkeeper's habits vary a little: text dates
(``31/12/2026`` or ``2026-12-31``), title rows above the header, customer numbers that Excel
turned into numbers, English headers one month.

The demo is free of errors except ONE deliberate bad row (:data:`DELIBERATE_ERROR`): in
``inbox/2026-11/licenties.xlsx`` customer 1012 bought a VOORRAAD module on "31/11/2026", a
date that does not exist. It shows the held-back flow: customer 1012 is held back until
the row is fixed; everyone else is billed.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from stdnum.eu import vat as eu_vat

from .model import CATEGORIES, Holiday, ModulePrice, RegieRate
from .problems import BijstandError
from .schema import INTERVENTIES, KLANTEN, LICENTIES
from .settings import DEFAULT_TOML, SETTINGS_FILE
from .templates import atomic_workbook, write_sheet, write_templates
from .workspace import EXAMPLE_INTEREST, EXAMPLE_MODULES, INBOX, OUTPUT, REGISTER, TARIFFS, TEMPLATES, module_price as _module, write_tariffs

D = Decimal

BILLING_START = date(2026, 1, 1)
MONTHS = tuple(f"{y}-{m:02d}" for y, m in [(2025, 12)] + [(2026, m) for m in range(1, 12)])
QUARTERS = (
    ("2026Q1", date(2026, 1, 5)),
    ("2026Q2", date(2026, 4, 3)),
    ("2026Q3", date(2026, 7, 3)),
    ("2026Q4", date(2026, 10, 5)),
)
# the demo runs one more quarter than the monthly sheets' year, so the last run sees November's
# snapshot with its deliberate error and shows a held-back customer
DEMO_RUNS = QUARTERS + (("2027Q1", date(2027, 1, 5)),)
DELIBERATE_ERROR = {
    "file": "inbox/2026-11/licenties.xlsx",
    "sheet": "Licenties",
    "column": "aankoopdatum",
    "value": "31/11/2026",
    "customer_id": "1012",
    "module": "VOORRAAD",
}
README_FILE = "LEESMIJ.txt"


# the modules' French and English names (SPEC §9 L1: `omschrijving fr` / `omschrijving en` of
# tarieven.xlsx), the same as `bijstand init` writes
_NAMES = {m.code: dict(m.names) for m in EXAMPLE_MODULES}


def _demo_module(code, description, licence, fee, valid_from, **kw):
    return _module(code, description, licence, fee, valid_from, fr=_NAMES[code]["fr"], en=_NAMES[code]["en"], **kw)


DEMO_MODULES = (
    _demo_module("JUW", "Juwelierspakket (basispakket)", "4950.00", "45.00", date(2008, 1, 1), base=True),
    _demo_module("JUW", "Juwelierspakket (basispakket)", "4950.00", "48.00", date(2026, 7, 1), base=True),
    _demo_module("KAS", "Kassamodule", "1200.00", "12.00", date(2008, 1, 1)),
    _demo_module("COM", "Communicatiepakket", "350.00", "5.00", date(2008, 1, 1), comm=True),
    _demo_module("HERSTEL", "Herstellingen en opvolging", "950.00", "9.50", date(2008, 1, 1)),
    _demo_module("VOORRAAD", "Voorraadbeheer en inventaris", "1450.00", "14.00", date(2008, 1, 1)),
    _demo_module("WEB", "Webshopkoppeling", "1800.00", "18.00", date(2015, 1, 1)),
)
DEMO_REGIE = (
    RegieRate(date(2020, 1, 1), D("75.00"), None),
    RegieRate(date(2026, 7, 1), D("80.00"), None),
    RegieRate(date(2020, 1, 1), D("95.00"), "ter plaatse"),
    RegieRate(date(2026, 7, 1), D("100.00"), "ter plaatse"),
)
DEMO_VERLOF = (
    Holiday(date(2025, 12, 24), date(2026, 1, 4), "Kerstvakantie 2025-2026"),
    Holiday(date(2026, 4, 6), date(2026, 4, 19), "Paasvakantie 2026"),
    Holiday(date(2026, 7, 20), date(2026, 8, 7), "Zomersluiting 2026"),
    Holiday(date(2026, 11, 2), date(2026, 11, 8), "Herfstvakantie 2026"),
    Holiday(date(2026, 12, 24), date(2027, 1, 3), "Kerstvakantie 2026-2027"),
)

# --- places and names -----------------------------------------------------------------------

# (postcode, Dutch name, French name) — Brussels municipalities have both.
FLANDERS = (
    ("2000", "Antwerpen"), ("2600", "Berchem"), ("2800", "Mechelen"), ("2500", "Lier"),
    ("2300", "Turnhout"), ("9000", "Gent"), ("9300", "Aalst"), ("9100", "Sint-Niklaas"),
    ("8000", "Brugge"), ("8500", "Kortrijk"), ("8400", "Oostende"), ("8800", "Roeselare"),
    ("8900", "Ieper"), ("3000", "Leuven"), ("3500", "Hasselt"), ("3600", "Genk"),
    ("3700", "Tongeren"), ("3290", "Diest"), ("9200", "Dendermonde"), ("9700", "Oudenaarde"),
    ("8300", "Knokke-Heist"), ("2440", "Geel"), ("2400", "Mol"), ("2200", "Herentals"),
    ("1800", "Vilvoorde"), ("1500", "Halle"), ("3300", "Tienen"), ("8790", "Waregem"),
    ("9160", "Lokeren"), ("9120", "Beveren"), ("3800", "Sint-Truiden"), ("3680", "Maaseik"),
    ("2930", "Brasschaat"), ("2900", "Schoten"), ("8620", "Nieuwpoort"), ("9900", "Eeklo"),
)
BRUSSELS = (
    ("1000", "Brussel", "Bruxelles"), ("1050", "Elsene", "Ixelles"), ("1040", "Etterbeek", "Etterbeek"),
    ("1180", "Ukkel", "Uccle"), ("1030", "Schaarbeek", "Schaerbeek"), ("1070", "Anderlecht", "Anderlecht"),
    ("1200", "Sint-Lambrechts-Woluwe", "Woluwe-Saint-Lambert"), ("1090", "Jette", "Jette"),
)
WALLONIA = (
    ("4000", "Liège"), ("5000", "Namur"), ("6000", "Charleroi"), ("7000", "Mons"), ("7500", "Tournai"),
    ("1300", "Wavre"), ("4800", "Verviers"), ("6700", "Arlon"), ("4500", "Huy"), ("1400", "Nivelles"),
    ("1410", "Waterloo"), ("5500", "Dinant"), ("4900", "Spa"), ("7700", "Mouscron"),
    ("7100", "La Louvière"), ("6900", "Marche-en-Famenne"), ("6600", "Bastogne"), ("4700", "Eupen"),
)
NETHERLANDS = (("6211 CK", "Maastricht"), ("4811 XJ", "Breda"), ("5611 EM", "Eindhoven"),
               ("3011 AD", "Rotterdam"), ("4331 AB", "Middelburg"))
FRANCE = (("59000", "Lille"), ("59100", "Roubaix"), ("59300", "Valenciennes"), ("75002", "Paris"))
LUXEMBOURG = (("1660", "Luxembourg"), ("4002", "Esch-sur-Alzette"))

STREETS_NL = ("Kerkstraat", "Stationsstraat", "Grote Markt", "Nieuwstraat", "Molenstraat", "Markt",
              "Hoogstraat", "Zuidstraat", "Steenstraat", "Lange Nieuwstraat", "Kapelstraat",
              "Leopoldstraat", "Bruul", "Diestsestraat", "Vlamingstraat", "Brugstraat", "Meir",
              "Kortrijksesteenweg", "Demerstraat", "Nationalestraat")
STREETS_FR = ("Rue Neuve", "Rue de la Station", "Rue de l'Église", "Grand-Place", "Place du Marché",
              "Rue Haute", "Rue du Commerce", "Rue des Carmes", "Rue Grande", "Rue de Namur",
              "Rue Royale", "Rue Saint-Martin", "Avenue Louise", "Rue du Pont", "Rue de Fer")
STREETS = {"NL": ("Grote Staat", "Ginnekenstraat", "Demer", "Lijnbaan", "Lange Delft"),
           "FR": ("Rue Esquermoise", "Rue de la Paix", "Grande Rue", "Rue Nationale"),
           "LU": ("Grand-Rue", "Rue de l'Alzette", "Avenue de la Liberté")}

SURNAMES_NL = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
               "Wouters", "De Smet", "Van den Broeck", "Vermeulen", "Hermans", "Van Damme", "Pauwels",
               "Verhoeven", "Declercq", "Dierckx", "Aerts", "Van Acker", "De Backer", "Verstraete",
               "Lemmens", "Michiels", "Bogaert", "Coppens", "Segers", "Smets", "Vandenberghe",
               "Wuyts", "Cools", "Martens", "Stevens", "Van Hoof", "Thys", "Geerts", "Baert",
               "Verbeke", "Hendrickx", "Nuyts", "Van de Velde", "De Wilde", "Moens", "Cornelis",
               "Lauwers", "Vos", "De Meyer", "Van Looy", "Schepers", "Verlinden")
SURNAMES_FR = ("Lambert", "Dubois", "Dupont", "Martin", "Simon", "Laurent", "Lejeune", "Renard",
               "Leroy", "Lefèvre", "Collard", "Mathieu", "François", "Gérard", "Denis", "Masson",
               "Henry", "Delvaux", "Noël", "Hubert", "Lemaire", "Dumont", "Bertrand", "Jacquet",
               "Marchal", "Piron", "Thiry", "Gillet", "Dethier", "Charlier", "Delcourt", "Wilmotte")
PATTERNS = {
    "nl": ("Juwelier {n}", "Juwelen {n}", "Goudsmid {n}", "Horlogerie {n}", "{n} Juwelen",
           "Edelsmid {n}", "Juwelier {n} & Zonen", "Uurwerken {n}", "Juwelier {n} BV"),
    "fr": ("Bijouterie {n}", "Joaillerie {n}", "Horlogerie {n}", "Bijouterie {n} & Fils",
           "Orfèvrerie {n}", "Maison {n}", "Bijouterie {n} SRL"),
    "en": ("{n} Jewellers", "{n} Fine Jewellery", "{n} Diamonds"),
}
TECHNICIANS = ("Sofie", "Koen", "Pieter", "Nathalie", "Jeroen")
DESCRIPTIONS = {
    "vraag": ("Vraag over btw-overzicht", "Hoe een klant samenvoegen", "Afdruk kasticket",
              "Vraag over etiketten", "Zoeken op serienummer"),
    "opleiding": ("Opleiding herstellingen", "Opleiding voorraad", "Opleiding nieuwe medewerker"),
    "upgrade": ("Upgrade naar nieuwe versie", "Update geïnstalleerd"),
    "parameters": ("Etiketlay-out aangepast", "Btw-codes ingesteld", "Kassaticket aangepast"),
    "online": ("Back-up online gecontroleerd", "Server herstart"),
    "verbinding": ("Verbinding voor hulp op afstand hersteld", "Teamviewer ingesteld"),
    "herinstallatie": ("Pakket opnieuw geïnstalleerd op nieuwe pc", "Herinstallatie na crash"),
    "pc-probleem": ("Harde schijf defect", "Printer weigert", "Pc start niet op"),
    "virus": ("Virus verwijderd", "Ransomware-melding onderzocht"),
    "spyware": ("Spyware verwijderd", "Adware in browser"),
    "internetprobleem": ("Geen internet in de winkel", "Router vervangen"),
    "externe-oorzaak": ("Stroompanne, database hersteld", "Bliksemschade"),
}
CATEGORY_WEIGHTS = {"vraag": 30, "opleiding": 8, "upgrade": 6, "parameters": 10, "online": 5,
                    "verbinding": 5, "herinstallatie": 4, "pc-probleem": 6, "virus": 3,
                    "spyware": 2, "internetprobleem": 4, "externe-oorzaak": 2}
MINUTES = (5, 10, 10, 15, 15, 20, 20, 25, 30, 30, 40, 45, 60, 75, 90, 120, 150)


# --- valid VAT numbers (built, then checked with python-stdnum) -----------------------------


def _vat_be(rng: random.Random) -> str:
    """A Belgian enterprise number: 8 digits + 97 - (those 8 mod 97)."""
    base = f"0{rng.randint(4, 9)}{rng.randint(0, 999999):06d}"
    return f"BE{base}{97 - int(base) % 97:02d}"


def _vat_nl(rng: random.Random) -> str:
    """NL + 9 digits passing the mod 11 test + B01."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1))) % 11
        if check < 10:
            return "NL" + "".join(map(str, digits)) + f"{check}B01"


def _vat_fr(rng: random.Random) -> str:
    """FR + 2-digit key + SIREN (9 digits, Luhn)."""
    while True:
        siren = f"{rng.randint(300000000, 899999999)}"
        total = 0
        for i, ch in enumerate(reversed(siren)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _vat_lu(rng: random.Random) -> str:
    """LU + 6 digits + (those 6 mod 89)."""
    base = rng.randint(100000, 999999)
    return f"LU{base}{base % 89:02d}"


_VAT = {"BE": _vat_be, "NL": _vat_nl, "FR": _vat_fr, "LU": _vat_lu}


def _valid_vat(country: str, rng: random.Random, taken: set[str]) -> str:
    while True:
        number = _VAT[country](rng)
        if eu_vat.is_valid(number) and number not in taken:
            taken.add(number)
            return number


def _slug(text: str) -> str:
    """ASCII e-mail part of a name.

    >>> _slug("Bijouterie Lefèvre & Fils")
    'bijouterie-lefevre-fils'
    """
    s = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


# --- the year's data ------------------------------------------------------------------------


@dataclass
class _Customer:
    id: str
    name: str
    street: str
    postcode: str
    city: str
    country: str
    vat: str
    language: str
    email: str
    peppol: str = ""
    agreement: bool = True
    agreement_start: date | None = None
    cancelled_on: date | None = None
    cancelled_via: str | None = None
    licences: list = field(default_factory=list)

    @property
    def since(self) -> date:
        return min(lic.purchase for lic in self.licences)

    def has_communication(self, day: date) -> bool:
        return any(lic.module == "COM" and lic.purchase <= day and (lic.end is None or day <= lic.end)
                   for lic in self.licences)


@dataclass
class _Licence:
    customer_id: str
    module: str
    quantity: int
    purchase: date
    end: date | None = None
    bad_date_text: str | None = None  # the deliberate error


@dataclass
class _Intervention:
    id: str
    day: date
    customer_id: str
    minutes: int
    channel: str
    category: str
    adapted: bool
    technician: str
    description: str
    logged: str  # YYYY-MM of the sheet it is logged in


def _month_end(month: str) -> date:
    y, m = map(int, month.split("-"))
    return (date(y + m // 12, m % 12 + 1, 1)) - timedelta(days=1)


def _month_start(month: str) -> date:
    y, m = map(int, month.split("-"))
    return date(y, m, 1)


def _random_day(rng: random.Random, start: date, end: date, weekdays: bool = True) -> date:
    while True:
        day = start + timedelta(days=rng.randint(0, (end - start).days))
        if not weekdays or day.weekday() < 6:  # jewelers open on Saturday
            return day


def _make_customers(rng: random.Random) -> list[_Customer]:
    regions = ["VL"] * 86 + ["BXL"] * 20 + ["WAL"] * 35 + ["NL"] * 4 + ["FR"] * 3 + ["LU"] * 2
    rng.shuffle(regions)
    names: set[str] = set()
    vats: set[str] = set()
    customers = []
    for i, region in enumerate(regions):
        cid = str(1001 + i)
        if region == "VL":
            postcode, city = rng.choice(FLANDERS)
            country, language = "BE", "en" if rng.random() < 0.04 else "nl"
            street = rng.choice(STREETS_NL)
        elif region == "BXL":
            postcode, city_nl, city_fr = rng.choice(BRUSSELS)
            country = "BE"
            language = rng.choices(("nl", "fr", "en"), (4, 5, 1))[0]
            city = city_nl if language == "nl" else city_fr
            street = rng.choice(STREETS_NL if language == "nl" else STREETS_FR)
        elif region == "WAL":
            postcode, city = rng.choice(WALLONIA)
            country = "BE"
            language = "en" if city == "Eupen" else "fr"
            street = rng.choice(STREETS_FR)
        else:
            postcode, city = rng.choice({"NL": NETHERLANDS, "FR": FRANCE, "LU": LUXEMBOURG}[region])
            country = region
            language = {"NL": "nl", "FR": "fr", "LU": rng.choice(("fr", "en"))}[region]
            street = rng.choice(STREETS[region])
        surnames = SURNAMES_FR if language == "fr" or (language == "en" and region != "VL") else SURNAMES_NL
        while True:
            name = rng.choice(PATTERNS[language]).format(n=rng.choice(surnames))
            if name not in names:
                names.add(name)
                break
        vat = _valid_vat(country, rng, vats)
        domain = {"BE": "be", "NL": "nl", "FR": "fr", "LU": "lu"}[country]
        email = f"{rng.choice(('info', 'winkel' if language == 'nl' else 'contact', 'boekhouding'))}@{_slug(name)}.{domain}"
        peppol = f"0208:{vat[2:]}" if country == "BE" and rng.random() < 0.12 else ""
        customers.append(_Customer(cid, name, f"{street} {rng.randint(1, 180)}", postcode, city, country,
                                   vat, language, email, peppol))
    return customers


def _make_licences(rng: random.Random, customers: list[_Customer], new_from: int) -> None:
    """Base package and modules; customers from index ``new_from`` on are new in 2026."""
    new_dates = sorted(_random_day(rng, date(2026, 1, 7), date(2026, 11, 24))
                       for _ in customers[new_from:])
    for i, c in enumerate(customers):
        if i >= new_from:
            bought = new_dates[i - new_from]
        else:
            bought = _random_day(rng, date(2008, 3, 1), date(2025, 11, 28))
        c.licences.append(_Licence(c.id, "JUW", 1, bought))
        for module, chance, qty in (("KAS", 0.7, (1, 1, 1, 2, 2, 3)), ("COM", 0.6, (1,)),
                                    ("HERSTEL", 0.4, (1,)), ("VOORRAAD", 0.35, (1,)), ("WEB", 0.2, (1,))):
            if rng.random() < chance:
                later = bought if rng.random() < 0.6 or i >= new_from else _random_day(
                    rng, bought, max(bought, date(2025, 11, 28)))
                if module == "WEB" and later < date(2015, 1, 1):
                    later = _random_day(rng, date(2015, 1, 5), date(2025, 11, 28))
                c.licences.append(_Licence(c.id, module, rng.choice(qty), later))


def _assign_roles(rng: random.Random, customers: list[_Customer], new_from: int) -> dict[str, list[str]]:
    """Cancellations, no agreement, agreed later start, mid-quarter purchases, ended licences."""
    old = customers[:new_from]
    pool = [c for c in old if c.country == "BE" and c.id != DELIBERATE_ERROR["customer_id"]]
    rng.shuffle(pool)
    roles: dict[str, list[str]] = {}
    # Cancellations: two by each written channel, spread over the year.
    cancel_days = (date(2026, 2, 12), date(2026, 3, 25), date(2026, 5, 6), date(2026, 6, 17),
                   date(2026, 8, 20), date(2026, 9, 9))
    for c, day, via in zip(pool[:6], cancel_days, ("brief", "e-mail", "fax", "e-mail", "brief", "fax")):
        c.cancelled_on, c.cancelled_via = day, via
        c.licences[0].purchase = min(c.licences[0].purchase, date(2020, 1, 1))
        if not c.has_communication(day):
            c.licences.append(_Licence(c.id, "COM", 1, c.licences[0].purchase))
    roles["cancelled"] = [c.id for c in pool[:6]]
    # One customer never took the agreement; one new customer neither.
    pool[6].agreement = False
    customers[new_from + 3].agreement = False
    roles["no_agreement"] = [pool[6].id, customers[new_from + 3].id]
    # Agreed later start: an old customer who bought late in 2025 and a new one in 2026.
    late = pool[7]
    for lic in late.licences:
        lic.purchase = date(2025, 11, 20)
    late.agreement_start = date(2026, 1, 1)
    new = customers[new_from + 1]
    m = new.since.month + 1  # agreed: from the first day of the month after next
    new.agreement_start = date(new.since.year + m // 12, m % 12 + 1, 1)
    roles["later_start"] = [late.id, new.id]
    # Modules bought mid-quarter by existing customers.
    buyers = pool[8:24]
    for c in buyers:
        have = {lic.module for lic in c.licences if lic.end is None}
        choices = [m for m in ("KAS", "COM", "HERSTEL", "VOORRAAD", "WEB") if m not in have] or ["KAS"]
        module = rng.choice(choices)
        c.licences.append(_Licence(c.id, module, 1, _random_day(rng, date(2026, 1, 6), date(2026, 11, 25))))
    roles["bought_2026"] = [c.id for c in buyers]
    # Licences that end: four during the demo year, two replaced long ago.
    enders = pool[24:30]
    for j, c in enumerate(enders):
        base = c.licences[0]
        if j < 4:
            others = [lic for lic in c.licences if lic.module not in ("JUW", "COM")]
            lic = others[-1] if others else _Licence(c.id, "WEB", 1, max(base.purchase, date(2019, 4, 1)))
            if not others:
                c.licences.append(lic)
            lic.end = _random_day(rng, max(lic.purchase, date(2026, 1, 31)), date(2026, 11, 20))
        else:
            c.licences.append(_Licence(c.id, "KAS", 1, base.purchase, base.purchase + timedelta(days=3 * 365)))
    roles["ended"] = [c.id for c in enders]
    # The deliberate error: a new module with an impossible purchase date in November.
    target = next(c for c in customers if c.id == DELIBERATE_ERROR["customer_id"])
    target.licences = [lic for lic in target.licences if lic.module != "VOORRAAD"]
    target.licences.append(_Licence(target.id, "VOORRAAD", 1, date(2026, 11, 30),
                                    bad_date_text=DELIBERATE_ERROR["value"]))
    return roles


def _make_interventions(rng: random.Random, customers: list[_Customer]) -> list[_Intervention]:
    by_id = {c.id: c for c in customers}
    holidays = [h for h in DEMO_VERLOF if h.end >= _month_start(MONTHS[0]) and h.start <= _month_end(MONTHS[-1])]
    drafts: list[tuple[date, str, str | None, str | None, bool | None]] = []  # day, cust, channel, category, adapted
    last = _month_end(MONTHS[-1])
    for k, month in enumerate(MONTHS):
        start, end = _month_start(month), _month_end(month)
        present = [c for c in customers if c.since <= end]
        for n in range(rng.randint(24, 32)):
            c = rng.choice(present)
            day = _random_day(rng, max(start, c.since), end)
            category = CATEGORIES[k % len(CATEGORIES)] if n == 0 else None
            drafts.append((day, c.id, None, category, None))
    for h in holidays:  # phone calls during holidays (billable under the agreement, R6)
        for _ in range(3):
            day = _random_day(rng, max(h.start, _month_start(MONTHS[0])), min(h.end, last))
            c = rng.choice([c for c in customers if c.since <= day])
            drafts.append((day, c.id, "telefoon", "vraag", False))
    for c in customers:  # after a cancellation: support at the regie rate, some adapting the package
        if c.cancelled_on:
            for j in range(3):
                day = _random_day(rng, c.cancelled_on, min(c.cancelled_on + timedelta(days=75), last))
                drafts.append((day, c.id, None, rng.choice(("parameters", "vraag", "upgrade")), j == 1))
        if not c.agreement:
            for _ in range(3):
                day = _random_day(rng, max(c.since, _month_start(MONTHS[0])), last)
                drafts.append((day, c.id, None, None, rng.random() < 0.3))
    drafts.sort(key=lambda d: (d[0], d[1]))
    result = []
    seq: dict[int, int] = {}
    for day, cid, channel, category, adapted in drafts:
        c = by_id[cid]
        if category is None:
            category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
        if channel is None:
            comm = c.has_communication(day)
            channel = rng.choices(("telefoon", "internet", "ter plaatse"), (50, 35, 15) if comm else (80, 0, 20))[0]
        if adapted is None:
            adapted = category in ("parameters", "upgrade") and rng.random() < 0.1
        minutes = rng.choice(MINUTES) if channel != "ter plaatse" else rng.choice((45, 60, 90, 120, 150))
        logged = f"{day.year}-{day.month:02d}"
        # A few are logged a month late (at most into the last demo month).
        i = MONTHS.index(logged)
        if i + 1 < len(MONTHS) and day.day >= 27 and rng.random() < 0.15:
            logged = MONTHS[i + 1]
        seq[day.year] = seq.get(day.year, 0) + 1
        result.append(_Intervention(f"{day.year}-{seq[day.year]:04d}", day, cid, minutes, channel, category,
                                    adapted, rng.choice(TECHNICIANS), rng.choice(DESCRIPTIONS[category]), logged))
    return result


# --- writing the monthly sheets -------------------------------------------------------------

# How the bookkeeper typed things, per month and sheet kind (the demo's only variations).
TEXT_DATES = {("2026-02", "klanten"): "be", ("2026-03", "licenties"): "iso", ("2026-09", "interventies"): "be"}
TITLE_ROWS = {("2026-04", "interventies"): "Interventies april 2026",
              ("2026-06", "licenties"): "Licenties juni 2026 (bijgewerkt)"}
NUMERIC_IDS = {("2026-08", "interventies")}
ENGLISH_HEADERS = {("2026-10", "interventies")}


def _date_cell(day: date | None, style: str | None):
    if day is None:
        return None
    if style == "be":
        return day.strftime("%d/%m/%Y")
    if style == "iso":
        return day.isoformat()
    return day


def _minutes_cell(minutes: int, rng: random.Random):
    if minutes >= 60 and rng.random() < 0.5:
        return f"{minutes // 60}:{minutes % 60:02d}"
    return minutes


def _customer_rows(customers, month: str, style):
    end = _month_end(month)
    rows = []
    for c in customers:
        if c.since > end:
            continue
        cancelled = c.cancelled_on is not None and c.cancelled_on <= end
        rows.append({
            "klantnummer": c.id, "naam": c.name, "straat": c.street, "postcode": c.postcode,
            "gemeente": c.city, "land": c.country, "btw-nummer": c.vat, "taal": c.language,
            "e-mail": c.email, "peppol-id": c.peppol or None, "overeenkomst": "ja" if c.agreement else "nee",
            "overeenkomst vanaf": _date_cell(c.agreement_start, style),
            "opgezegd op": _date_cell(c.cancelled_on, style) if cancelled else None,
            "opzegging via": c.cancelled_via if cancelled else None,
        })
    return rows


def _licence_rows(customers, month: str, style):
    end = _month_end(month)
    rows = []
    for c in customers:
        for lic in sorted(c.licences, key=lambda x: (x.purchase, x.module)):
            if lic.purchase > end:
                continue
            purchase = lic.bad_date_text if lic.bad_date_text else _date_cell(lic.purchase, style)
            rows.append({
                "klantnummer": c.id, "module": lic.module, "aantal": lic.quantity, "aankoopdatum": purchase,
                "einddatum": _date_cell(lic.end, style) if lic.end and lic.end <= end else None,
            })
    return rows


def _intervention_rows(interventions, month: str, style, numeric_ids: bool, rng: random.Random):
    rows = []
    for iv in interventions:
        if iv.logged != month:
            continue
        rows.append({
            "interventienummer": iv.id, "datum": _date_cell(iv.day, style),
            "klantnummer": int(iv.customer_id) if numeric_ids else iv.customer_id,
            "duur": _minutes_cell(iv.minutes, rng), "kanaal": iv.channel, "soort": iv.category,
            "aanpassing pakket": "ja" if iv.adapted else "nee", "technieker": iv.technician,
            "omschrijving": iv.description,
        })
    return rows


def _write_month(folder: Path, month: str, customers, interventions, rng) -> list[Path]:
    written = []
    for spec in (KLANTEN, LICENTIES, INTERVENTIES):
        key = (month, spec.kind)
        style = TEXT_DATES.get(key)
        if spec is KLANTEN:
            rows = _customer_rows(customers, month, style)
        elif spec is LICENTIES:
            rows = _licence_rows(customers, month, style)
        else:
            rows = _intervention_rows(interventions, month, style, key in NUMERIC_IDS, rng)
        headers = None
        if key in ENGLISH_HEADERS:
            headers = {c.name: c.aliases[0] for c in spec.columns if c.aliases}
        path = folder / f"{spec.kind}.xlsx"
        with atomic_workbook(path) as workbook:
            write_sheet(workbook, spec, rows, title=TITLE_ROWS.get(key), headers=headers, notes=False)
        written.append(path)
    return written


def _readme(roles: dict[str, list[str]]) -> str:
    err = DELIBERATE_ERROR
    lines = [
        "bijstand — demo workspace (generated by `bijstand demo`; the same every time).",
        "",
        "`bijstand demo` ran these quarters, each with its invoice date, dropping each month's",
        "sheets into inbox/ only once that month was over (as the bookkeeper does):",
        *(f"  bijstand run {q} --invoice-date {d.isoformat()}" for q, d in DEMO_RUNS),
        "",
        "One deliberate error, to show how a bad row holds back only its customer:",
        f"  {err['file']}:{err['sheet']}: column {err['column']} = \"{err['value']}\""
        f" (customer {err['customer_id']}, module {err['module']}). Fix the date to 30/11/2026.",
        "",
        "What else is in it:",
        *(f"  {role}: {', '.join(ids)}" for role, ids in roles.items()),
        "",
    ]
    return "\n".join(lines)


def build_demo(path: Path, seed: int = 2026) -> list[tuple[str, date]]:
    """Write the demo workspace into ``path`` (which must be empty or new) and return the
    (QUARTER, invoice date) pairs to run, in order.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     build_demo(Path(tmp) / "demo")[0]
    ('2026Q1', datetime.date(2026, 1, 5))
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BijstandError(f"{path} is not empty — give `bijstand demo` a new or empty folder")
    rng = random.Random(seed)
    customers = _make_customers(rng)
    new_from = len(customers) - 18
    _make_licences(rng, customers, new_from)
    roles = _assign_roles(rng, customers, new_from)
    interventions = _make_interventions(rng, customers)

    path.mkdir(parents=True, exist_ok=True)
    toml = DEFAULT_TOML.replace('start = ""', f'start = "{BILLING_START.isoformat()}"', 1)
    assert toml != DEFAULT_TOML, "DEFAULT_TOML no longer has start = \"\""
    (path / SETTINGS_FILE).write_text(toml, encoding="utf-8")
    write_tariffs(path / TARIFFS, DEMO_MODULES, DEMO_REGIE, DEMO_VERLOF, EXAMPLE_INTEREST)
    write_templates(path / TEMPLATES)
    (path / OUTPUT).mkdir(exist_ok=True)
    for month in MONTHS:
        _write_month(path / INBOX / month, month, customers, interventions, rng)
    (path / README_FILE).write_text(_readme(roles), encoding="utf-8")
    return list(QUARTERS)


def run_demo(path: Path, seed: int = 2026):
    """Build the demo and bill its quarters as a year of real use would: before each run, only the
    months that are over by its invoice date are in the inbox. Yields (quarter, date, RunReport)."""
    import shutil
    import tempfile
    from datetime import datetime, time

    from .run import run_quarter

    path = Path(path)
    build_demo(path, seed)
    inbox = path / INBOX
    with tempfile.TemporaryDirectory(prefix="bijstand-demo-") as hold:
        waiting = []
        for month in MONTHS:
            shutil.move(str(inbox / month), str(Path(hold) / month))
            waiting.append(month)
        for quarter, day in DEMO_RUNS:
            while waiting and waiting[0] < f"{day:%Y-%m}":
                month = waiting.pop(0)
                shutil.move(str(Path(hold) / month), str(inbox / month))
            report = run_quarter(path, quarter, day, now=datetime.combine(day, time(9, 0)))
            yield quarter, day, report
        for month in waiting:
            shutil.move(str(Path(hold) / month), str(inbox / month))
    # a year of bank statements, imported; then the reminders, at all three levels over two dates
    from .payments.book import import_statements
    from .payments.reminders import issue_reminders

    roles = write_bank_year(path, DEMO_PAYMENTS_ON, seed)
    (path / README_FILE).write_text((path / README_FILE).read_text(encoding="utf-8") + _bank_readme(roles),
                                    encoding="utf-8")
    yield "payments", DEMO_PAYMENTS_ON, import_statements(
        path, as_of=DEMO_PAYMENTS_ON, now=datetime.combine(DEMO_PAYMENTS_ON, time(9, 0)))
    for day in DEMO_REMINDERS:
        yield "reminders", day, issue_reminders(path, day, now=datetime.combine(day, time(9, 0)))


# --- a year of bank statements and the reminders (SPEC §12) --------------------------------------------

DEMO_PAYMENTS_ON = date(2027, 2, 15)  # the statements reach this day; payments are imported then
DEMO_REMINDERS = (date(2027, 2, 15), date(2027, 3, 8))  # two reminder runs: levels 1 and 3, then 2


def _bank_readme(roles: dict[str, list[str]]) -> str:
    lines = ["", "Payments (bank/: a CODA file a month, the last one camt.053; imported by `bijstand payments`):",
             *(f"  {role}: {', '.join(ids)}" for role, ids in roles.items() if role != "on-time"),
             f"  on time: the {len(roles.get('on-time', []))} others",
             "Reminders: `bijstand reminders --date " + DEMO_REMINDERS[0].isoformat() + "` and `--date "
             + DEMO_REMINDERS[1].isoformat() + "` (levels 1 and 3, then 2); `bijstand send --dry-run` shows what "
             "would be sent.", ""]
    return "\n".join(lines)


def _payment_roles(ids: list[str], rng: random.Random) -> dict[str, str]:
    """How each customer pays: on time (most), late, one partially, one never; some quote the invoice
    number instead of the structured reference."""
    ids = sorted(ids)
    rng.shuffle(ids)
    roles = {cid: "on-time" for cid in ids}
    roles[ids[0]] = "never"
    roles[ids[1]] = "partial"
    for cid in ids[2:2 + max(len(ids) // 7, 3)]:
        roles[cid] = "late"
    for cid in ids[2 + max(len(ids) // 7, 3):2 + max(len(ids) // 7, 3) + max(len(ids) // 5, 3)]:
        roles[cid] = "on-time-text"
    return roles


def write_bank_year(path: Path, until: date = DEMO_PAYMENTS_ON, seed: int = 2026) -> dict[str, list[str]]:
    """bank/: the seller's account statements of the demo year (one CODA file a month, the last one as
    camt.053), paying the demo's invoices as its customers do. Returns the payment roles."""
    from decimal import Decimal

    from .model import Invoice
    from .payments.writers import Mv, Stmt, camt_file, coda_file
    from .register import Register
    from .serialize import loads
    from .settings import load_settings

    rng = random.Random(seed + 12)
    account = load_settings(path).seller.iban
    with Register(path / REGISTER) as reg:
        credited = {r[0] for r in reg.conn.execute("SELECT number FROM credits")}
        invoices = [loads(Invoice, r[0]) for r in reg.conn.execute(
            "SELECT payload FROM documents WHERE document_type = 'invoice' ORDER BY rowid")]
    roles = _payment_roles(sorted({inv.customer_id for inv in invoices}), rng)
    by_month: dict[str, list] = {}
    for inv in invoices:
        if inv.number in credited:
            continue
        role = roles[inv.customer_id]
        if role == "never":
            continue
        if role == "late":
            day = inv.due_date + timedelta(days=rng.randint(20, 50))
        else:
            day = inv.issue_date + timedelta(days=rng.randint(5, 28))
        amount = inv.total if role != "partial" else (inv.total / 2).quantize(Decimal("0.01"))
        if day > until:
            continue
        mv = Mv(amount, booking=day, value=day, name=inv.buyer.name,
                iban=f"BE{rng.randint(10, 99)}{rng.randint(10**11, 10**12 - 1)}")
        if role == "on-time-text":
            mv.communication = f"factuur {inv.number}"
        else:
            mv.structured = inv.structured_reference
        by_month.setdefault(f"{day:%Y-%m}", []).append(mv)
    folder = path / "bank"
    folder.mkdir(exist_ok=True)
    balance = Decimal("25000.00")
    months = sorted(by_month)
    for n, month in enumerate(months, 1):
        moves = sorted(by_month[month], key=lambda m: m.booking)
        moves.append(Mv(Decimal("-35.00"), communication="bankkosten", booking=moves[-1].booking))
        last_day = max(m.booking for m in moves)
        statement = Stmt(account, n, last_day, balance, moves)
        balance += sum((m.amount for m in moves), Decimal("0"))
        if n == len(months):
            (folder / f"{month}.xml").write_bytes(camt_file([statement]))
        else:
            (folder / f"{month}.cod").write_bytes(coda_file([statement]))
    out: dict[str, list[str]] = {}
    for cid, role in sorted(roles.items()):
        out.setdefault(role, []).append(cid)
    return out
