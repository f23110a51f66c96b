"""The chat evaluation: the demo world in a database, the held-out cases played through the real engine, each
turn judged by its expectations. Used by ``benchmarks/bench_bot.py`` (the full run) and by
``tests/bot/test_heldout.py`` (a bounded run with an accuracy floor).

The world is the demo's: ``demo.samples.scenarios`` builds the ten sample e-mails, each copy is accepted by the
real ``Receiver`` with its arrival time and processed by ``intake.pipeline.process_receipt`` (parse, documents,
attribution, checks, dossier), senders registered as the demo registers them, then the background OCR of the
scanned cover letters as the demo runs it (first page each, within a time budget): the register's cities come
from the cover letters' text, and a few own-data questions ask about them. ``ocr_seconds=0`` skips it (the
bounded test run uses no world at all).

A turn is right when the answer's kind matches, it rests on every expected rule and open question (it may cite
more), its verdict matches when one is expected, every ``must`` item appears in the reply and no ``must_not``
does; a ``multi`` turn also needs the same number of parts, each judged the same way on its own text.
"""
from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

CASES = Path(__file__).resolve().parents[1] / "tests" / "bot" / "heldout" / "cases.jsonl"
DEFAULT_NOW = "2023-03-27T09:30:00+08:00"
HOLD_BACK = {"abstain", "scope", "ask_back"}         # reply kinds that answer nothing about the call


async def build_demo_world(services, clock, ocr_seconds: float = 0.0) -> int:
    """The ten demo e-mails through the real receiver and pipeline (and OCR within ``ocr_seconds``); returns the
    number of receipts."""
    from core.vocabulary import Source, TimeSource
    from demo.samples.scenarios import build_scenarios
    from intake.envelope import RawMail
    from intake.pipeline import process_receipt
    from intake.receiver import Receiver
    from models.dossier import KnownSender

    scenarios = build_scenarios(services.call)
    for s in scenarios:
        if s.register_sender and s.province:
            await KnownSender.get_or_create(address=s.sender, defaults={
                "province": s.province, "confirmed_by": "demo", "created_at": s.arrives_at})
    receiver = Receiver(services.archive, clock)
    n = 0
    for s in scenarios:
        clock.set(s.arrives_at)
        for mb in s.mailboxes:
            r, _ = await receiver.accept(RawMail(Source.IMAP, mb, s.delivered(mb), s.arrives_at,
                                                 TimeSource.IMAP_INTERNALDATE))
            await process_receipt(services, r.id)
            n += 1
    if ocr_seconds > 0:
        from intake.ocr_backlog import pending_documents, run_background_ocr

        end = time.perf_counter() + ocr_seconds
        while time.perf_counter() < end:
            nxt = await pending_documents(1)
            if not nxt or nxt[0].kind != "cover_letter" or not await run_background_ocr(services, chunk=1, limit=1):
                break
    return n


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def caller_for(case: dict):
    from bot.terminal import terminal_caller

    who = case.get("as", "anyone")
    user = f"eval-{case['id']}"
    if who == "officer":
        return terminal_caller(officer=True, user=user)
    if who.startswith("province:"):
        return terminal_caller(province=who.split(":", 1)[1], user=user)
    return terminal_caller(user=user)


def _has(text: str, item) -> bool:
    return any(x in text for x in ([item] if isinstance(item, str) else item))


def judge_one(expect: dict, meta, text: str) -> list[str]:
    """Why this answer fails ``expect`` (empty: right)."""
    why = []
    if meta.kind != expect["answer"]:
        why.append(f"kind {meta.kind} ≠ {expect['answer']}")
    missing = [r for r in expect.get("rules", ()) if r not in meta.rules]
    if missing:
        why.append(f"rules {sorted(meta.rules)} lack {missing}")
    missing = [o for o in expect.get("open", ()) if o not in meta.open_ids]
    if missing:
        why.append(f"open {sorted(meta.open_ids)} lack {missing}")
    if "verdict" in expect and meta.verdict != expect["verdict"]:
        why.append(f"verdict {meta.verdict} ≠ {expect['verdict']}")
    for item in expect.get("must", ()):
        if not _has(text, item):
            why.append(f"missing {item}")
    for s in expect.get("must_not", ()):
        if s in text:
            why.append(f"contains {s!r}")
    return why


def judge(expect: dict, reply) -> list[str]:
    from bot import answer_types as A
    from bot.render import render

    if expect["answer"] != "multi":
        return judge_one(expect, reply.meta, reply.text)
    if reply.meta.kind != "multi":
        return [f"kind {reply.meta.kind} ≠ multi"] + [f"part {i + 1}: " + "; ".join(judge_one(p, reply.meta, reply.text))
                                                      for i, p in enumerate(expect["parts"][:1])]
    parts = expect["parts"]
    if len(parts) != len(reply.meta.parts):
        return [f"{len(reply.meta.parts)} parts ≠ {len(parts)}"]
    why = []
    for i, (p, m, a) in enumerate(zip(parts, reply.meta.parts, reply.answer.parts)):
        w = judge_one(p, m, render(a))
        if w:
            why.append(f"part {i + 1}: " + "; ".join(w))
    return why


@dataclass
class Result:
    case: str
    kind: str
    turn: int
    text: str
    ok: bool
    why: list[str]
    reply: str
    seconds: float
    got: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def turns(self) -> int:
        return len(self.results)

    @property
    def right(self) -> int:
        return sum(r.ok for r in self.results)

    @property
    def accuracy(self) -> float:
        return self.right / max(1, self.turns)

    def cases_right(self) -> tuple[int, int]:
        by: dict[str, bool] = {}
        for r in self.results:
            by[r.case] = by.get(r.case, True) and r.ok
        return sum(by.values()), len(by)

    def per_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            out[r.kind][0] += r.ok
            out[r.kind][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def latency(self) -> tuple[float, float]:
        xs = sorted(r.seconds for r in self.results)
        if not xs:
            return 0.0, 0.0
        return statistics.median(xs), xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]

    def outcomes(self) -> dict[str, int]:
        """Every turn as one of: right; wrong while answering (a rule, verdict, own data, officer data or an open
        question that is not the expected one: the asker is misled); wrong while holding back (the bot said 通知未明确 /
        what it answers / asked back, where an answer was expected: honest but unhelpful). ``held_back`` counts all
        the turns the bot held back on, right or wrong."""
        out = {"right": 0, "wrong_answer": 0, "wrong_hold_back": 0, "held_back": 0}
        for r in self.results:
            hold = r.got.split(" ", 1)[0] in HOLD_BACK
            out["held_back"] += hold
            if r.ok:
                out["right"] += 1
            else:
                out["wrong_hold_back" if hold else "wrong_answer"] += 1
        return out

    def failures(self) -> Counter:
        return Counter(w.split(" ")[0] for r in self.results for w in r.why)


async def play(engine, clock, cases: list[dict]) -> Report:
    rep = Report()
    for case in cases:
        clock.set(datetime.fromisoformat(case.get("now") or DEFAULT_NOW))
        caller = caller_for(case)
        for i, turn in enumerate(case["turns"]):
            t = time.perf_counter()
            reply = await engine.handle(caller, turn["text"])
            dt = time.perf_counter() - t
            why = judge(turn["expect"], reply)
            rep.results.append(Result(case["id"], case["kind"], i, turn["text"], not why, why, reply.text, dt,
                                      f"{reply.meta.kind} {list(reply.meta.rules)} {list(reply.meta.open_ids)} "
                                      f"{reply.meta.verdict}"))
    return rep
