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

import logging

from config.call import CallConfig
from core.register import ProvinceRow
from core.state_codec import STATE_SHAPE, _decoder, _shape, decode, encode  # noqa: F401  (the codec lives there)
from models.dossier import Dossier

log = logging.getLogger("shenbao.core.state")


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
