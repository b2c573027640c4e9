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
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def dumps(obj) -> str:
    return json.dumps(to_plain(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@lru_cache(maxsize=None)
def _hints(cls):
    return typing.get_type_hints(cls)


def from_plain(tp, value):
    """JSON values → records of type ``tp`` (a dataclass, or a typing form of one)."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_plain(args[0], value) if len(args) == 1 else value
    if origin in (tuple, list):
        args = typing.get_args(tp)
        inner = args[0] if args else typing.Any
        items = [from_plain(inner, v) for v in value]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        kt, vt = typing.get_args(tp)
        return {k: from_plain(vt, v) for k, v in value.items()}
    if tp is Decimal:
        return Decimal(value)
    if tp is date:
        return date.fromisoformat(value)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in value:
                kwargs[f.name] = from_plain(hints[f.name], value[f.name])
        return tp(**kwargs)
    return value


def loads(tp, text: str):
    return from_plain(tp, json.loads(text))
