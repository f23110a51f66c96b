"""process_receipt: parse → group → documents → attribute → decide on time → findings → dossier.

Two phases, so that nothing heavy runs on the intake's event loop and no transaction waits on analysis:

1. read: the archived message is parsed in a thread, its attachments analysed in sandboxed children and
   archived (only when the submission has no documents yet);
2. write: one transaction records headers, groups the receipt, stores documents and findings, attributes the
   submission, and refreshes the province's dossier and kept state. A reader sees the arrival whole or not.

Idempotent: a replay of the same receipt re-derives everything and changes no recorded time.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
from pathlib import Path

from tortoise.transactions import in_transaction

from core import metrics
from core.archive import Archive
from core.dossier import refresh_dossier
from core.findings_store import replace_findings
from core.services import Services
from core.submission_findings import refresh_submission_findings
from core.vocabulary import ReceiptStatus, SenderTrust, Source
from intake.documents import PreparedDocuments, prepare_documents, store_documents
from intake.grouping import existing_submission, submission_for
from intake.priority import GATE, GIVE_WAY_MAX, GaveWay
from intake.write_baton import BATON
from models.retry import with_retry
from models.dossier import KnownSender
from models.finding import Finding
from models.receipt import Receipt
from models.submission import Document, Submission
from precheck.attribution import attribute, trust_level
from precheck.mime_stream import parse_file
from precheck.parse import ParsedMail
from precheck.relevance import filing_features
from precheck.sender_auth import SenderAuth, authenticate, dmarc_policy

log = logging.getLogger("shenbao.intake.pipeline")


SPOOL_PREFIX = "parse-"


def spool_dir(archive: Archive, receipt_id: int) -> Path:
    """Where a large message's attachments are streamed while it is processed (removed afterwards)."""
    return archive.root / "spool" / f"{SPOOL_PREFIX}{os.getpid()}-{receipt_id}"


def read_and_parse(archive: Archive, rel: str, spool: Path) -> ParsedMail:
    """Parse an archived message from its file (runs in a worker thread, off the event loop); a large one
    streams with bounded memory, its attachments into ``spool`` (precheck.mime_stream)."""
    return parse_file(archive.path_for(rel), spool)


def clean_spool(archive: Archive) -> int:
    """Remove parse spools left by processes that are gone (a crash mid-processing); return how many."""
    n = 0
    for d in (archive.root / "spool").glob(f"{SPOOL_PREFIX}*"):
        try:
            pid = int(d.name[len(SPOOL_PREFIX):].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


async def _record_headers(r: Receipt, parsed: ParsedMail) -> None:
    r.message_id = parsed.message_id
    r.sender = (parsed.sender or "")[:512] or None
    r.subject = parsed.subject
    r.date_header = (parsed.date_header or "")[:255] or None
    r.date_sent = parsed.date_sent
    r.received_chain = [{"by": h.by, "from": h.from_, "at": h.at.isoformat() if h.at else None} for h in
                        parsed.received[:30]]
    await r.save(update_fields=["message_id", "sender", "subject", "date_header", "date_sent", "received_chain"])


AUTH_READ_MAX = 64 * 2**20      # DKIM hashes the message as received: up to this size it is read whole


def _read_for_auth(archive: Archive, rel: str, size: int) -> tuple[bytes, bool]:
    """The bytes authentication reads (in a worker thread): the header block, and the whole message only when
    the header block carries a DKIM-Signature (DKIM hashes the body) and the message is at most AUTH_READ_MAX.
    Beyond that size only the header block is read (a trusted receiving host's Authentication-Results still
    count; the DKIM result is 'not verified', never 'failed'). Unsigned mail is never read whole: its
    authentication reads only headers anyway."""
    head, ended = bytearray(), False
    with open(archive.path_for(rel), "rb") as f:
        for line in iter(lambda: f.readline(1 << 16), b""):
            head += line
            if line in (b"\r\n", b"\n"):
                ended = True
                break
            if len(head) > 2**20:
                break
    if size <= AUTH_READ_MAX and (_DKIM_HEADER.search(head) or not ended and len(head) < size):
        return archive.read(rel), True
    return bytes(head), size <= AUTH_READ_MAX


_DKIM_HEADER = re.compile(rb"(?im)^dkim-signature[ \t]*:")


async def _authenticate(services: Services, r: Receipt, parsed: ParsedMail) -> SenderAuth:
    """DKIM and the receiving host's Authentication-Results (precheck.sender_auth). Results written by the
    SMTP intake's client count only when that client is a trusted relay."""
    sa = services.settings.sender_auth
    trust_headers = r.source != Source.SMTP or (r.peer or "") in sa.trusted_peers
    raw, whole = await asyncio.to_thread(_read_for_auth, services.archive, r.archive_path, r.size or 0)
    return await asyncio.to_thread(authenticate, raw, parsed.sender, dns_txt=services.dns_txt,
                                   trusted_authserv=sa.authserv_ids, trust_headers=trust_headers,
                                   dkim_enabled=sa.dkim and whole, timeout=sa.dns_timeout)


async def _dmarc(services: Services, auth: SenderAuth) -> str | None:
    """The From domain's DMARC policy, looked up before the write transaction (a DNS wait never holds it),
    and only for a sender that did not authenticate (the only case _suspicion asks about)."""
    if auth.authenticated or not auth.from_domain or not services.settings.sender_auth.dkim:
        return None
    return await asyncio.to_thread(dmarc_policy, auth.from_domain, services.dns_txt,
                                   services.settings.sender_auth.dns_timeout)


def _best_auth(old: dict | None, new: SenderAuth) -> dict:
    """A submission seen in two mailboxes is authenticated if either copy is."""
    if old and old.get("authenticated") and not new.authenticated:
        return old
    return new.as_json()


async def _suspicion(services: Services, sub: Submission, auth: dict, dmarc: str | None) -> list[str]:
    """Why a registered but unauthenticated mail looks forged (-> sender_authentication_failed)."""
    why = []
    dom = auth.get("from_domain")
    if any(e.get("result") == "fail" and e.get("d") and (e["d"] == dom or (dom or "").endswith("." + e["d"]))
           for e in auth.get("dkim") or []):
        why.append("dkim_signature_failed")
    if dom and dmarc in ("reject", "quarantine"):
        why.append(f"dmarc_policy_{dmarc}")
    if dom and await Submission.filter(sender_trust=SenderTrust.VERIFIED, sender__iendswith="@" + dom) \
            .exclude(id=sub.id).exists():
        why.append("domain_authenticated_before")
    return why


async def _confirmed(sender: str | None) -> dict[str, str]:
    """The officer-confirmed province of this sender (one indexed lookup, not the whole table)."""
    if not sender:
        return {}
    k = await KnownSender.filter(address=sender.lower()).first()
    return {k.address: k.province} if k else {}


async def _attribute(services: Services, sub: Submission, parsed: ParsedMail, docs: list[Document],
                     auth: SenderAuth, confirmed: dict[str, str], dmarc: str | None) -> None:
    sub.sender_auth = _best_auth(sub.sender_auth, auth)
    if sub.attribution and sub.attribution.get("method") == "officer":
        sub.sender_trust = sub.sender_trust or SenderTrust.OFFICER
        return
    cover = " ".join((d.analysis or {}).get("text", "") for d in docs if d.kind == "cover_letter")
    att = attribute(services.call, sender=parsed.sender, subject=parsed.subject,
                    filenames=[d.filename for d in docs], cover_text=cover, confirmed=confirmed)
    sub.province = att.province
    sub.attribution = att.as_json()
    if sub.sender_trust != SenderTrust.OFFICER:
        sub.sender_trust = trust_level(att.registered_sender, bool(sub.sender_auth.get("authenticated")))
    sub.sender_auth["suspect"] = await _suspicion(services, sub, sub.sender_auth, dmarc) \
        if sub.sender_trust == SenderTrust.REGISTERED else []


def _unrelated(services: Services, sub: Submission, parsed: ParsedMail, docs: list[Document]) -> bool:
    """No province claims it and nothing in it looks like a filing (precheck.relevance)."""
    if sub.province is not None:
        return False
    return not filing_features(services.call, subject=parsed.subject, text_body=parsed.text_body,
                               html_body=parsed.html_body, attachment_names=[d.filename for d in docs]
                               or [a.filename for a in parsed.attachments])


async def process_receipt(services: Services, receipt_id: int) -> Submission:
    """Process one durable receipt; raises on failure (the worker shunts it)."""
    await GATE.quiet()
    r = await Receipt.get(id=receipt_id)
    spool = spool_dir(services.archive, receipt_id)
    try:
        parsed = await asyncio.to_thread(read_and_parse, services.archive, r.archive_path, spool)
        return await _process(services, r, parsed)
    finally:
        if spool.exists():
            await asyncio.to_thread(shutil.rmtree, spool, True)


async def _process(services: Services, r: Receipt, parsed: ParsedMail) -> Submission:
    call, receipt_id = services.call, r.id
    known = await existing_submission(r, parsed)
    prepared: PreparedDocuments | None = None
    if known is None or not await Document.filter(submission_id=known.id).exists():
        prepared = await prepare_documents(parsed, call=call, archive=services.archive)
    confirmed = await _confirmed(parsed.sender)
    auth = await _authenticate(services, r, parsed)
    dmarc = await _dmarc(services, auth)
    now = services.clock.now()

    async def write(armed: bool) -> tuple[Receipt, Submission]:
        async with in_transaction():
            GATE.give_way(armed)       # an arrival that began since goes first: roll back, run again after it
            r = await Receipt.get(id=receipt_id)
            await _record_headers(r, parsed)
            GATE.give_way(armed)
            sub, _created = await submission_for(r, parsed, call_id=call.id, now=now)
            receipts = list(await Receipt.filter(submission_id=sub.id).order_by("received_at", "id"))
            old_province = sub.province
            sub.first_received_at = min(x.received_at for x in receipts)
            sub.on_time = any(call.is_on_time(x.received_at) for x in receipts)
            GATE.give_way(armed)
            docs, doc_findings = await store_documents(sub, prepared, now=now)
            GATE.give_way(armed)
            if doc_findings:
                await replace_findings(scope="document", submission_id=sub.id, now=now, province=None, call_id=sub.call_id,
                                       specs=[f for _, f in doc_findings],
                                       document_ids=[d.id if d else None for d, _ in doc_findings])
            await _attribute(services, sub, parsed, docs, auth, confirmed, dmarc)
            sub.unrelated = _unrelated(services, sub, parsed, docs)
            sub.updated_at = now
            await sub.save()
            GATE.give_way(armed)
            if sub.unrelated:            # unrelated mail carries no findings: nothing for anyone to act on
                await Finding.filter(submission_id=sub.id, scope="submission").delete()
            else:
                await refresh_submission_findings(services, sub, receipts)
            r.status, r.error, r.processed_at = ReceiptStatus.PROCESSED, None, now
            r.attempts += 1
            await r.save(update_fields=["status", "error", "processed_at", "attempts"])
            for province in {p for p in (sub.province, old_province) if p}:
                GATE.give_way(armed)
                await refresh_dossier(services, province)
        return r, sub
    gave = 0
    while True:
        # an arrival being recorded goes first (intake.priority); a transaction begun in a quiet moment also gives
        # way to one that begins while it runs
        armed = await GATE.quiet() and gave < GIVE_WAY_MAX
        try:
            # the intake process commits receipts meanwhile: on SQLite a transaction that read first is told
            # "database is locked" when a write lands in between (it cannot wait for it); it is rolled back, so
            # run it again (the baton is given back while the retry waits)
            r, sub = await with_retry(lambda: BATON.run(lambda: write(armed)), what="processing transaction")
            break
        except GaveWay:
            gave += 1
            metrics.counter("worker_gave_way_total", "processing transactions rolled back for an arrival").inc()
    log.info("%s: processed into %s (%s, %s)", r.ref, sub.ref,
             sub.province or ("unrelated" if sub.unrelated else "unidentified"), "on time" if sub.on_time else "LATE")
    return sub
