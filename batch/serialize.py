"""JSON round-trips of the frozen records, so the register can store what it issued and the
documents can be rendered again, byte for byte, from the register alone."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import date
from decimal import Decimal
from functools import lru_cache


def to_plain(obj):
    """Records → JSON-able values: Decimal and date as text, tuples as lists."""
    t = type(obj)
    if t is str or t is int or t is bool or obj is None or t is float:
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
        return {name: to_plain(getattr(obj, name)) for name in _field_names(t)}
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def dumps(obj) -> str:
    return json.dumps(to_plain(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
