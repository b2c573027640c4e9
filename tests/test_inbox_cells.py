"""Cell parsers: every accepted format, every refusal, and property tests (junk in → CellError)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from batch.inbox import cells as C
from batch.schema import INTERVENTIES, KLANTEN

CHANNEL = INTERVENTIES.column("kanaal")
CATEGORY = INTERVENTIES.column("soort")
VIA = KLANTEN.column("opzegging via")


@pytest.mark.parametrize("raw, expected", [
    (date(2026, 12, 31), date(2026, 12, 31)),
    (datetime(2026, 12, 31, 0, 0), date(2026, 12, 31)),
    (datetime(2026, 12, 31, 14, 5), date(2026, 12, 31)),
    ("31/12/2026", date(2026, 12, 31)),
    ("31-12-2026", date(2026, 12, 31)),
    ("31.12.2026", date(2026, 12, 31)),
    ("1/2/2027", date(2027, 2, 1)),
    (" 2026-12-31 ", date(2026, 12, 31)),
    ("2026-12-31 00:00:00", date(2026, 12, 31)),
    ("29/02/2028", date(2028, 2, 29)),
    (46022, date(2025, 12, 31)),
    (46022.0, date(2025, 12, 31)),
])
def test_date_accepted(raw, expected):
    assert C.parse_date(raw) == expected


@pytest.mark.parametrize("raw, fragment", [
    ("31/02/2026", "geen geldige datum"),
    ("29/02/2027", "geen geldige datum"),
    ("12/13/2026", "geen geldige datum"),
    ("31/12/26", "twee cijfers"),
    ("2026/12/31", "geen datum"),
    ("31/12-2026", "geen datum"),
    ("gisteren", "geen datum"),
    ("31/12/1850", "ligt niet tussen"),
    (date(1899, 12, 31), "ligt niet tussen"),
    (5, "ligt niet tussen"),  # serial 5 = 1900-01-04: not a plausible date
    (46022.5, "geen datum"),
    (True, "geen datum"),
    (time(10, 0), "geen datum"),
    (float("nan"), "geen datum"),
    (1e300, "geen datum"),
])
def test_date_refused(raw, fragment):
    with pytest.raises(C.InvalidDate) as err:
        C.parse_date(raw)
    assert fragment in err.value.message
    assert err.value.code == "date.invalid"


@pytest.mark.parametrize("raw, expected", [
    (45, Decimal("45")),
    (45.0, Decimal("45")),
    (0.1, Decimal("0.1")),
    (12.35, Decimal("12.35")),
    ("1.234,50", Decimal("1234.50")),
    ("1234,5", Decimal("1234.5")),
    ("1234.50", Decimal("1234.50")),
    ("1234.5", Decimal("1234.5")),
    ("1.234.567", Decimal("1234567")),
    ("1.234.567,89", Decimal("1234567.89")),
    ("1,234", Decimal("1.234")),
    ("1,234.50", Decimal("1234.50")),
    ("1 234,50", Decimal("1234.50")),
    ("\u00a01\u00a0234,50 ", Decimal("1234.50")),
    ("€ 45,00", Decimal("45.00")),
    ("45,00 EUR", Decimal("45.00")),
    ("-12,5", Decimal("-12.5")),
    ("0,005", Decimal("0.005")),
    ("12.3456", Decimal("12.3456")),
])
def test_decimal_accepted(raw, expected):
    got = C.parse_decimal(raw)
    assert got == expected and str(got) == str(expected)


@pytest.mark.parametrize("raw", ["1.234", "12.345", "abc", "1,2,3", "1..2", "", "1.23.4", "12,34.5,6", "--1",
                                 "1e5", "NaN", "Infinity", True, date(2026, 1, 1), float("inf"), "1.234,5.6"])
def test_decimal_refused(raw):
    with pytest.raises(C.InvalidNumber):
        C.parse_decimal(raw)


def test_ambiguous_thousands_says_why():
    with pytest.raises(C.InvalidNumber, match="dubbelzinnig"):
        C.parse_decimal("1.234")


@pytest.mark.parametrize("raw, expected", [(1, 1), (2.0, 2), ("3", 3), ("1.000.000", 1000000)])
def test_int(raw, expected):
    assert C.parse_int(raw) == expected


@pytest.mark.parametrize("raw", [1.5, "2,5", "x"])
def test_int_refused(raw):
    with pytest.raises(C.InvalidNumber):
        C.parse_int(raw)


@pytest.mark.parametrize("raw, minutes", [
    (20, 20), (20.0, 20), ("20", 20), ("1:30", 90), ("0:45", 45), ("10:05", 605), ("1:30:00", 90),
    (time(1, 30), 90), (time(0, 45), 45), (timedelta(minutes=75), 75), (1 / 16, 90), (0.03125, 45),
    (1 / 1440, 1), ("120,0", 120),
])
def test_minutes_accepted(raw, minutes):
    assert C.parse_minutes(raw) == minutes


@pytest.mark.parametrize("raw, fragment", [
    (0, "groter dan nul"), (-5, "groter dan nul"), ("0:00", "groter dan nul"), ("2,5", "geheel"),
    (12.5, "geheel"), (time(0, 0, 30), "geheel"), (0.0001, "geheel"), ("1:75", "geen duur"),
    ("anderhalf uur", "geen duur"), (True, "geen duur"), (date(2026, 1, 1), "geen duur"),
    (timedelta(seconds=90), "geheel"), ("1:30:15", "geen duur"),
])
def test_minutes_refused(raw, fragment):
    with pytest.raises(C.InvalidDuration) as err:
        C.parse_minutes(raw)
    assert fragment in err.value.message and err.value.code == "duration.invalid"


@pytest.mark.parametrize("raw, expected", [
    ("ja", True), ("JA", True), ("Nee", False), ("neen", False), ("oui", True), ("Non", False),
    ("yes", True), ("no", False), ("x", True), ("X", True), ("1", True), ("0", False), (1, True),
    (0.0, False), ("true", True), ("FALSE", False), (True, True), (False, False),
])
def test_yesno(raw, expected):
    assert C.parse_yesno(raw) is expected


def test_yesno_empty_takes_default_and_refuses_without():
    assert C.parse_yesno("", True) is True and C.parse_yesno(None, False) is False
    with pytest.raises(C.InvalidYesNo):
        C.parse_yesno("")
    with pytest.raises(C.InvalidYesNo, match="geen ja of nee"):
        C.parse_yesno("misschien")
    with pytest.raises(C.InvalidYesNo):
        C.parse_yesno(2)


@pytest.mark.parametrize("raw, expected", [(1001.0, "1001"), (1001, "1001"), ("0012", "0012"),
                                           ("  K 12 ", "K 12"), ("A-1", "A-1")])
def test_id(raw, expected):
    assert C.parse_id(raw) == expected


@pytest.mark.parametrize("raw", [12.5, True, date(2026, 1, 1), float("nan")])
def test_id_refused(raw):
    with pytest.raises(C.InvalidText):
        C.parse_id(raw)


@pytest.mark.parametrize("raw, expected", [("Ｋ１００１", "K1001"), ("k1001", "k1001"), (1001.0, "1001"),
                                           ("01001", "01001"), (" I\u00a0-\u20031 ", "I - 1"), ("ﬁ-1", "fi-1")])
def test_identifier_is_nfkc(raw, expected):
    assert C.parse_identifier(raw) == expected


@pytest.mark.parametrize("raw, letters, lookalike", [
    ("К1001", "К (CYRILLIC CAPITAL LETTER KA)", "K1001"),
    ("ΚΑΣ", "Κ (GREEK CAPITAL LETTER KAPPA), Α (GREEK CAPITAL LETTER ALPHA), Σ (GREEK CAPITAL LETTER SIGMA)", None),
    ("Café-1", "é (LATIN SMALL LETTER E WITH ACUTE)", "Cafe-1"),
])
def test_identifier_with_foreign_letters_is_refused(raw, letters, lookalike):
    with pytest.raises(C.ForeignLetters) as err:
        C.parse_identifier(raw)
    assert letters in err.value.message and err.value.lookalike == lookalike
    assert err.value.code == "id.foreign_letters" and "Latijns" in err.value.fix


@given(st.text(max_size=20))
def test_identifiers_are_ascii_letters_or_refused(text):
    from batch.identity import foreign_letters, key, normal
    try:
        form = C.parse_identifier(text)
    except C.CellError:
        return
    assert form == normal(form) and not foreign_letters(form)
    assert C.parse_identifier(form) == form and C.parse_identifier(form.swapcase()).casefold() == key(form)


@pytest.mark.parametrize("raw, column, expected", [
    ("telefoon", CHANNEL, "telefoon"), ("Ter  plaatse", CHANNEL, "ter plaatse"), ("ter-plaatse", CHANNEL, "ter plaatse"),
    ("REMOTE", CHANNEL, "internet"), ("onsite", CHANNEL, "ter plaatse"), ("PC-probleem", CATEGORY, "pc-probleem"),
    ("pc probleem", CATEGORY, "pc-probleem"), ("externe oorzaak", CATEGORY, "externe-oorzaak"),
    ("question", CATEGORY, "vraag"), ("Internet-Problem", CATEGORY, "internetprobleem"),
    ("E-mail", VIA, "e-mail"), ("email", VIA, "e-mail"), ("Brief", VIA, "brief"), ("letter", VIA, "brief"),
    ("Fàx", VIA, "fax"),
])
def test_choice(raw, column, expected):
    assert C.parse_choice(raw, column) == expected


def test_choice_refused_names_the_choices():
    with pytest.raises(C.InvalidChoice) as err:
        C.parse_choice("telefax", CHANNEL)
    assert err.value.fix == "Kies uit: telefoon, internet, ter plaatse."
    with pytest.raises(C.InvalidChoice):
        C.parse_choice("telefoon", VIA)  # not a written cancellation


@pytest.mark.parametrize("raw, expected", [("be", "BE"), (" NL ", "NL"), ("België", "BE"), ("Belgique", "BE"),
                                           ("Luxemburg", "LU"), ("France", "FR"), ("Duitsland", "DE"),
                                           ("ch", "CH"), ("GR", "GR")])
def test_country(raw, expected):
    assert C.parse_country(raw) == expected


@pytest.mark.parametrize("raw", ["XX", "BEL", "Atlantis", "", 32, "ZZ"])
def test_country_refused(raw):
    with pytest.raises(C.InvalidCountry):
        C.parse_country(raw)


@pytest.mark.parametrize("raw, country, expected", [
    ("BE0403170701", "BE", ("BE0403170701", True)),
    ("0403170701", "BE", ("BE0403170701", True)),
    ("BE 0403.170.701", "BE", ("BE0403170701", True)),
    ("403170701", "BE", ("BE0403170701", True)),  # old 9-digit form
    ("NL004495445B01", "NL", ("NL004495445B01", True)),
    ("004495445B01", "NL", ("NL004495445B01", True)),
    ("NL123", "NL", ("NL123", False)),
    ("LU 1234", "LU", ("LU1234", False)),
    ("CHE-123.456.788 MWST", "CH", ("CHE-123.456.788 MWST", False)),
    ("US12-3456789", "US", ("US12-3456789", False)),
])
def test_vat(raw, country, expected):
    assert C.parse_vat(raw, country) == expected


@pytest.mark.parametrize("raw", ["BE0403170702", "0123456789", "BE", "hello"])
def test_vat_belgian_invalid_is_an_error(raw):
    with pytest.raises(C.InvalidVat) as err:
        C.parse_vat(raw, "BE")
    assert err.value.code == "vat.invalid"


def test_language_email_peppol():
    assert [C.parse_language(v) for v in ("NL", "fr", "En", "Nederlands", "français", "fr-BE")] == \
        ["nl", "fr", "en", "nl", "fr", "fr"]
    with pytest.raises(C.InvalidChoice):
        C.parse_language("de")
    assert C.parse_email("a.b@juwelier.be") == "a.b@juwelier.be"
    for bad in ("a@b", "geen mail", "a@@b.be", "a@b.be; c@d.be"):
        with pytest.raises(C.InvalidEmail):
            C.parse_email(bad)
    assert C.parse_peppol_id("0208:0403170701") == "0208:0403170701"
    for bad in ("208:0403170701", "0208-0403170701", "0403170701", "0208:"):
        with pytest.raises(C.InvalidPeppolId):
            C.parse_peppol_id(bad)


# --- property tests -----------------------------------------------------------------------

junk = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates(), st.datetimes(), st.times(), st.timedeltas(),
    st.decimals(allow_nan=True), st.text(alphabet="0123456789.,:/- €", max_size=15),
)
PARSERS = [
    C.parse_date, C.parse_decimal, C.parse_int, C.parse_minutes, C.parse_yesno, C.parse_id, C.parse_identifier,
    C.parse_text, C.parse_country, C.parse_language, C.parse_email, C.parse_peppol_id,
    lambda v: C.parse_choice(v, CATEGORY), lambda v: C.parse_choice(v, VIA),
    lambda v: C.parse_vat(v, "BE"), lambda v: C.parse_vat(v, "NL"), lambda v: C.parse_vat(v, "US"),
]


@hsettings(max_examples=300, deadline=None)
@given(value=junk, which=st.sampled_from(range(len(PARSERS))))
def test_junk_gives_only_cell_errors(value, which):
    try:
        PARSERS[which](value)
    except C.CellError as err:
        assert err.message and err.fix and err.code


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["{d:%d/%m/%Y}", "{d:%d-%m-%Y}", "{d:%d.%m.%Y}", "{d:%Y-%m-%d}", "{d.day}/{d.month}/{d.year}"]))
def test_dates_round_trip(d, form):
    assert C.parse_date(form.format(d=d)) == d


@given(st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"), places=2, allow_nan=False))
def test_decimals_round_trip_as_the_bookkeeper_writes_them(amount):
    plain = f"{amount:.2f}"
    belgian = f"{amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    assert C.parse_decimal(plain) == amount
    assert C.parse_decimal(plain.replace(".", ",")) == amount
    assert C.parse_decimal(belgian) == amount
    assert C.parse_decimal(float(plain)) == amount


@given(st.integers(min_value=1, max_value=99 * 60 + 59))
def test_durations_round_trip(minutes):
    assert C.parse_minutes(f"{minutes // 60}:{minutes % 60:02d}") == minutes
    assert C.parse_minutes(minutes) == minutes
    assert C.parse_minutes(str(minutes)) == minutes
    if minutes < 24 * 60:
        assert C.parse_minutes(minutes / 1440) == minutes  # an Excel time value


def test_unicode_lookalikes_are_refused_and_invisible_characters_dropped():
    assert C.parse_id("\u200bK1\u200f") == "K1"
    assert C.parse_text("\ufeffGoud") == "Goud"
    assert C.parse_date("\u200e31/12/2026") == date(2026, 12, 31)
    with pytest.raises(C.InvalidDate):
        C.parse_date("𝟑𝟏/𝟏𝟐/𝟐𝟎𝟐𝟔")  # mathematical digits
    with pytest.raises(C.InvalidNumber):
        C.parse_decimal("２０")  # full-width digits
    with pytest.raises(C.InvalidDuration):
        C.parse_minutes("١:٣٠")  # Arabic-Indic digits
