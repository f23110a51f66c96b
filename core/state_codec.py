"""The kept-state codec: a ``ProvinceRow`` as JSON values and back, and ``STATE_SHAPE``, the digest of the row's
shape (field names and types, recursively) that tells a current stored state from one written by another release.

Imports no ORM: the one-shot SQL reader of the register (``core.register_sql``) decodes kept states with it.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from datetime import datetime, timezone

from core.register import ProvinceRow


def _shape(tp, seen=()) -> str:
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp.__name__ + "{" + ",".join(f"{f.name}:{_shape(hints[f.name], seen)}"
                                            for f in dataclasses.fields(tp)) + "}"
    args = typing.get_args(tp)
    if args:
        return f"{getattr(typing.get_origin(tp), '__name__', str(typing.get_origin(tp)))}[" + \
            ",".join(_shape(a) for a in args) + "]"
    return getattr(tp, "__name__", str(tp))


STATE_SHAPE = hashlib.sha256(_shape(ProvinceRow).encode()).hexdigest()[:16]


def encode(obj):
    """A dataclass tree as JSON values (datetimes as UTC ISO strings)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, datetime):
        return obj.astimezone(timezone.utc).isoformat()
    if isinstance(obj, dict):
        return {k: encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [encode(v) for v in obj]
    return obj


def decode(tp, value):
    """The inverse of ``encode`` for a value of type ``tp`` (driven by the dataclasses' annotations)."""
    return _decoder(tp)(value)


@functools.lru_cache(maxsize=None)
def _decoder(tp):
    """A function that decodes a value of ``tp``, built once per type: reading the annotations
    (``typing.get_type_hints`` evaluates every string annotation) per decoded object made reading the 32
    kept rows of the officer overview cost ~60 ms instead of a few."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            return lambda v: v
        one = _decoder(inner[0])
        return lambda v: None if v is None else one(v)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]

        def dataclass_(v):
            if v is None:
                return None
            return tp(**{name: dec(v[name]) for name, dec in fields if name in v})
        return dataclass_
    if origin is list:
        if not args:
            return lambda v: None if v is None else list(v)
        item = _decoder(args[0])
        return lambda v: None if v is None else [item(x) for x in v]
    if origin is dict:
        if not args:
            return lambda v: None if v is None else dict(v)
        val = _decoder(args[1])
        return lambda v: None if v is None else {k: val(x) for k, x in v.items()}
    if tp is datetime:
        return lambda v: None if v is None else datetime.fromisoformat(v)
    return lambda v: v
