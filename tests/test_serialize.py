"""The register's JSON: the compiled encoder writes exactly what the reference json.dumps writes,
and every record reads back equal."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from hypothesis import given, settings as hsettings, strategies as st

from batch.model import Invoice, InterventionOutcome
from batch.serialize import dumps, dumps_joined, loads, to_plain
from tests.samples import sample_invoice


def reference(obj) -> str:
    """What the register always stored: the plain values through the standard encoder."""
    return json.dumps(to_plain(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Empty:
    pass


@dataclass(frozen=True)
class Odd:
    """Every value type the encoder treats differently, and field names out of sorted order."""

    zeta: object
    alpha: object = None
    items: tuple = ()
    mapping: dict = field(default_factory=dict)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9, min_value=-10**9)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT, DECIMALS,
                    st.floats(allow_nan=False), st.dates(), st.datetimes(), st.just(Empty()))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                            st.dictionaries(TEXT, inner, max_size=3),
                            st.builds(Odd, inner, inner, st.lists(inner, max_size=2).map(tuple))),
    max_leaves=12)


@given(VALUES)
@hsettings(max_examples=400, deadline=None)
def test_dumps_equals_the_reference_encoding(value):
    assert dumps(value) == reference(value)


@given(st.lists(VALUES, max_size=6))
@hsettings(max_examples=100, deadline=None)
def test_dumps_joined_equals_the_joined_dumps(values):
    assert "".join(dumps_joined(values)) == ",".join(reference(v) for v in values)


def test_text_is_escaped_as_json_escapes_it():
    odd = Odd('he said "=A1"\n\t\\ café \u2028 \x00', alpha=Decimal("-0.50"), items=(date(2027, 1, 5), True, 7),
              mapping={"b": 1.5, "a": datetime(2027, 1, 5, 9, 30)})
    text = dumps(odd)
    assert text == reference(odd)
    assert text == ('{"alpha":"-0.50","items":["2027-01-05",true,7],'
                    '"mapping":{"a":"2027-01-05T09:30:00","b":1.5},'
                    '"zeta":"he said \\"=A1\\"\\n\\t\\\\ café \u2028 \\u0000"}')
    assert dumps(Empty()) == "{}"


def test_records_round_trip():
    for inv in (sample_invoice("S", "nl"), sample_invoice("AE", "fr", document_type="credit_note"),
                sample_invoice("O", "en", number=None)):
        text = dumps(inv)
        assert text == reference(inv)
        assert loads(Invoice, text) == inv
    out = InterventionOutcome("I-1", "inbox/x.xlsx!Interventies!2", "billed", "K1", date(2026, 11, 3),
                              "2027-000001", Decimal("93.75"), "not covered")
    assert dumps(out) == ('{"amount":"93.75","customer_id":"K1","date":"2026-11-03","fingerprint":null,"intervention_id":"I-1",'
                          '"number":"2027-000001","reason":"not covered",'
                          '"source":"inbox/x.xlsx!Interventies!2","status":"billed"}')
    assert loads(InterventionOutcome, dumps(out)) == out
