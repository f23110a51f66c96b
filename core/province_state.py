"""Kept per-province state: the register row stored on the dossier row, written in the transaction of every
change (an arrival, an officer's action, a background OCR result), so that a status question, the officer
overview, the digest and the web desk read 32 rows instead of rebuilding from every submission of the call.

    row = row_from_state(dossier)             # the stored ProvinceRow, or None when absent or stale
    await store_state(call, dossier)          # compute from the tables and store (inside the change's transaction)
    await rebuild_state(services)             # repair: re-derive every province (shenbao rebuild-state)

The stored JSON is the ``ProvinceRow`` field by field; ``STATE_SHAPE`` is a digest of the row's shape (field
names and types, recursively), so a release that changes the row makes every stored state stale and the
register computes it from the tables until it is stored again (``rebuild-state``, run by ``migrate`` and at
intake start).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import types
import typing
from datetime import datetime, timezone

from config.call import CallConfig
from core.register import ProvinceRow
from models.dossier import Dossier

log = logging.getLogger("shenbao.core.state")


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


def row_from_state(dossier: Dossier | None) -> ProvinceRow | None:
    """The kept row, or None when there is none or it was written by code with another row shape."""
    if dossier is None or dossier.state is None or dossier.state_shape != STATE_SHAPE:
        return None
    return decode(ProvinceRow, dossier.state)


def apply_row(dossier: Dossier, row: ProvinceRow) -> None:
    """Set the state and its summary columns on ``dossier`` (the caller saves)."""
    dossier.state = encode(row)
    dossier.state_shape = STATE_SHAPE
    dossier.state_version = (dossier.state_version or 0) + 1
    dossier.first_on_time = encode(row.first_on_time)
    dossier.n_submissions = len(row.submissions)
    dossier.n_on_time = sum(1 for s in row.submissions if s.on_time)
    dossier.n_late = dossier.n_submissions - dossier.n_on_time
    dossier.n_documents = len(row.documents)
    dossier.pages_total = row.pages_total
    dossier.n_findings = len(row.findings)
    dossier.n_errors = sum(1 for f in row.findings if f.severity == "error")


STATE_FIELDS = ["state", "state_shape", "state_version", "first_on_time", "n_submissions", "n_on_time", "n_late",
                "n_documents", "pages_total", "n_findings", "n_errors"]


async def store_state(call: CallConfig, dossier: Dossier) -> ProvinceRow:
    """Compute ``dossier``'s row from the tables and store it on the row (call inside the change's transaction,
    after the change's own writes)."""
    from core.province_row import compute_province_row

    row = await compute_province_row(call, dossier.province, dossier, dossier_known=True)
    apply_row(dossier, row)
    if dossier.pk is None:
        await dossier.save()
    else:
        await dossier.save(update_fields=STATE_FIELDS)
    return row


async def store_states(call: CallConfig, provinces: list[str] | None = None) -> int:
    """Store the kept state of every dossier row as the tables are (no check re-run): for data written
    directly, e.g. a restore or a test fixture. Returns how many rows were stored."""
    n = 0
    for d in await Dossier.filter(call_id=call.id, province__in=provinces or list(call.province_names())):
        await store_state(call, d)
        n += 1
    return n


async def rebuild_state(services, *, provinces: list[str] | None = None, check: bool = False,
                        only_stale: bool = False) -> list[str]:
    """Re-derive every province of the call (status, dossier findings, kept state) from the tables; with
    ``check``, change nothing and only compare; with ``only_stale``, touch only provinces whose state is
    absent or of another row shape (intake start after a release). Returns the provinces whose stored state
    was not what the tables say (absent, stale or different)."""
    from core.dossier import refresh_dossier
    from core.province_row import compute_province_row

    call = services.call
    names = provinces or list(call.province_names())
    dossiers = {d.province: d for d in await Dossier.filter(call_id=call.id, province__in=names)}
    differ = []
    for name in names:
        d = dossiers.get(name)
        kept = row_from_state(d)
        if check:
            if d is None:
                fresh = await compute_province_row(call, name, None, dossier_known=True)
                if fresh.submissions:               # a province with mail but no dossier row at all
                    differ.append(name)
                continue
            if kept != await compute_province_row(call, name, d, dossier_known=True):
                differ.append(name)
            continue
        if d is None and not await _has_mail(call, name):
            continue                                # nothing ever arrived: the empty row needs no state
        if only_stale and kept is not None:
            continue
        before = kept
        d = await refresh_dossier(services, name)
        if before != row_from_state(d):
            differ.append(name)
    if differ:
        log.info("kept state %s for %d province(s): %s", "differs" if check else "rebuilt", len(differ),
                 ", ".join(differ))
    return differ


async def _has_mail(call: CallConfig, name: str) -> bool:
    from models.submission import Submission

    return await Submission.filter(call_id=call.id, province=name).exists()
