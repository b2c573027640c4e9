"""JSON round-trips of the frozen records, so the register can store what it issued and the
documents can be rendered again, byte for byte, from the register alone."""

from __future__ import annotations

import dataclasses
import itertools
import json
import operator
import types
import typing
from datetime import date
from decimal import Decimal
from functools import lru_cache

_SCALARS = frozenset({str, int, bool, float, type(None)})


def to_plain(obj):
    """Records → JSON-able values: Decimal and date as text, tuples as lists."""
    t = type(obj)
    if t in _SCALARS:
        return obj
    if t is Decimal:
        return str(obj)
    if t is date:
        return obj.isoformat()
    if t is list or t is tuple:
        return [to_plain(x) for x in obj]
    if t is dict:
        return {str(k): to_plain(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names, values = _record(t)
        plain = {}
        # the common field types inline: a record is mostly text, numbers, amounts and dates
        for name, v in zip(names, values(obj)):
            vt = type(v)
            if vt in _SCALARS:
                plain[name] = v
            elif vt is Decimal:
                plain[name] = str(v)
            elif vt is date:
                plain[name] = v.isoformat()
            else:
                plain[name] = to_plain(v)
        return plain
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


@lru_cache(maxsize=None)
def _record(cls):
    """A record type's field names and a function giving all its field values as a tuple."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    if len(names) > 1:
        return names, operator.attrgetter(*names)
    return names, lambda obj: tuple(getattr(obj, name) for name in names)


# the reference encoding of plain values (what ``dumps`` must equal, byte for byte)
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_string = json.encoder.encode_basestring  # the C escaper json uses with ensure_ascii=False


def dumps(obj) -> str:
    """The register's JSON text of a value: compact, keys sorted, non-ASCII kept — exactly
    ``json.dumps(to_plain(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))``,
    written without building the plain values first (a record's encoder is compiled once per type).

    >>> dumps({"b": Decimal("1.50"), "a": date(2027, 1, 5)})
    '{"a":"2027-01-05","b":"1.50"}'
    """
    t = type(obj)
    encode = _ENCODERS.get(t)
    if encode is None:
        if not dataclasses.is_dataclass(t):
            return _ENCODER.encode(to_plain(obj))  # floats, dicts, anything rarer
        encode = _ENCODERS[t] = _record_encoder(t)
    return encode(obj)


def _sequence(values) -> str:
    return "[" + ",".join([dumps(x) for x in values]) + "]"


# exact types only, as in to_plain (a subclass takes the reference path)
_ENCODERS = {
    str: _string,
    type(None): lambda _: "null",
    Decimal: lambda v: '"' + str(v) + '"',
    date: lambda v: '"' + v.isoformat() + '"',
    int: int.__repr__,
    bool: lambda v: "true" if v else "false",
    list: _sequence,
    tuple: _sequence,
}


def _record_encoder(cls):
    """``dumps`` for one record type, compiled: each field's value encoded with the common types
    inline, then put into a template of the fields in sorted order. For a record with fields
    ``b`` and ``a``::

        def encode(o):
            x = o.a
            v0 = 'null' if x is None else _string(x) if (t := type(x)) is str else … else _dumps(x)
            x = o.b
            v1 = …
            return '{"a":%s,"b":%s}' % (v0, v1)

    Field names of a dataclass are identifiers: they need no escaping, in JSON or in the template.
    """
    names = sorted(f.name for f in dataclasses.fields(cls))
    code = ["def encode(o):"]
    for i, name in enumerate(names):
        code.append(f"    x = o.{name}")
        code.append(f"    v{i} = ('null' if x is None else _string(x) if (t := type(x)) is str "
                    f"else '\"' + str(x) + '\"' if t is Decimal else '\"' + x.isoformat() + '\"' if t is date "
                    f"else _dumps(x))")
    template = "{" + ",".join(f'"{name}":%s' for name in names) + "}"
    code.append(f"    return {template!r} % ({''.join(f'v{i}, ' for i in range(len(names)))})")
    namespace = {"_string": _string, "_dumps": dumps, "Decimal": Decimal, "date": date}
    exec("\n".join(code), namespace)
    return namespace["encode"]


def dumps_joined(objs, chunk: int = 4096):
    """``",".join(dumps(o) for o in objs)`` in pieces of ``chunk`` records (for a long list whose
    text the caller assembles once)."""
    objs = iter(objs)
    block = ",".join(map(dumps, itertools.islice(objs, chunk)))
    while block:
        yield block
        block = ",".join(map(dumps, itertools.islice(objs, chunk)))
        if block:
            block = "," + block


@lru_cache(maxsize=None)
def _hints(cls):
    return typing.get_type_hints(cls)


def from_plain(tp, value):
    """JSON values → records of type ``tp`` (a dataclass, or a typing form of one)."""
    return _decoder(tp)(value)


def _identity(value):
    return value


@lru_cache(maxsize=None)
def _decoder(tp):
    """A function that decodes JSON values of type ``tp``; built once per type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _decoder(args[0]) if len(args) == 1 else _identity
        return lambda v: None if v is None else inner(v)
    if origin in (tuple, list):
        args = typing.get_args(tp)
        inner = _decoder(args[0]) if args else _identity
        if origin is tuple:
            return lambda v: None if v is None else tuple(inner(x) for x in v)
        return lambda v: None if v is None else [inner(x) for x in v]
    if origin is dict:
        _, vt = typing.get_args(tp)
        inner = _decoder(vt)
        return lambda v: None if v is None else {k: inner(x) for k, x in v.items()}
    if tp is Decimal:
        return lambda v: None if v is None else Decimal(v)
    if tp is date:
        return lambda v: None if v is None else date.fromisoformat(v)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]

        def decode(v):
            if v is None:
                return None
            return tp(**{name: dec(v[name]) for name, dec in fields if name in v})

        return decode
    return _identity


def loads(tp, text: str):
    return from_plain(tp, json.loads(text))
