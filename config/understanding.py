"""What the chat understands, as data: ``config/calls/<id>.understanding.toml`` next to the call's rules.

Every rule and open question of the call carries its paraphrases (at least ``MIN_PARAPHRASES``), its family
(for follow-ups), typed slots and the verdict function that computes an answer from them; the other intents
(own data, officer questions and actions, out of scope) are listed the same way. Validated at load against the
call config: an unknown rule id, a rule or open question without enough paraphrases, an unknown verdict is an
error naming the intent.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from config.call import CALLS_DIR, CallConfig, CallConfigError

MIN_PARAPHRASES = 15
ANSWERS = ("rule", "open", "abstain", "own", "officer", "action", "scope", "help")
VERDICTS = ("quota", "plan_pages", "total_pages", "cap", "period", "deadline", "mailbox")
SLOTS = ("province", "cities", "count", "pages", "amount", "duration", "when", "mailboxes")


@dataclass(frozen=True)
class IntentSpec:
    id: str
    answer: str
    family: str
    paraphrases: tuple[str, ...]
    rules: tuple[str, ...] = ()        # the rules the answer rests on (a rule intent: itself)
    slots: tuple[str, ...] = ()
    verdict: str | None = None
    topic_zh: str = ""

    @property
    def is_rule(self) -> bool:
        return self.id[:1] == "R" and self.id[1:].isdigit()

    @property
    def is_open(self) -> bool:
        return self.id[:1] == "O" and self.id[1:].isdigit()


@dataclass(frozen=True)
class Understanding:
    intents: tuple[IntentSpec, ...]
    finding_rules: dict[str, tuple[str, ...]]
    digest: str                        # sha256 of the file and the call file: the cache key of trained models
    abstain_cues: tuple[str, ...] = ()
    action_cues: dict[str, tuple[str, ...]] = None    # intent (assign / paper_copy / override) → verbs

    def intent(self, intent_id: str) -> IntentSpec:
        for i in self.intents:
            if i.id == intent_id:
                return i
        raise KeyError(intent_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.intents)

    def family(self, name: str) -> tuple[IntentSpec, ...]:
        return tuple(i for i in self.intents if i.family == name)


def understanding_path(call: CallConfig) -> Path:
    base = call.source.parent if call.source else CALLS_DIR
    return base / f"{call.id}.understanding.toml"


def load_understanding(call: CallConfig, path: Path | None = None) -> Understanding:
    p = path or understanding_path(call)
    if not p.is_file():
        raise CallConfigError(f"understanding file not found: {p}")
    raw = p.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CallConfigError(f"{p}: {exc}") from exc
    rule_ids = {r.id for r in call.rules}
    open_ids = {o.id for o in call.open_questions}
    intents = []
    for i, d in enumerate(data.get("intent", ())):
        where = f"{p.name}: intent[{i}] ({d.get('id', '?')})"
        iid = d.get("id")
        if not iid:
            raise CallConfigError(f"{where}: missing id")
        answer = d.get("answer", "rule")
        if answer not in ANSWERS:
            raise CallConfigError(f"{where}: answer {answer!r} is not one of {', '.join(ANSWERS)}")
        verdict = d.get("verdict")
        if verdict is not None and verdict not in VERDICTS:
            raise CallConfigError(f"{where}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        slots = tuple(d.get("slots", ()))
        bad = [s for s in slots if s not in SLOTS]
        if bad:
            raise CallConfigError(f"{where}: unknown slots {bad}")
        rules = tuple(d.get("rules", (iid,) if iid in rule_ids else ()))
        unknown = [r for r in rules if r not in rule_ids]
        if unknown:
            raise CallConfigError(f"{where}: unknown rule ids {unknown}")
        paraphrases = tuple(str(x) for x in d.get("paraphrases", ()))
        if (iid in rule_ids or iid in open_ids) and len(paraphrases) < MIN_PARAPHRASES:
            raise CallConfigError(f"{where}: {len(paraphrases)} paraphrases, at least {MIN_PARAPHRASES} needed")
        if not paraphrases:
            raise CallConfigError(f"{where}: no paraphrases")
        intents.append(IntentSpec(iid, answer, d.get("family", iid), paraphrases, rules, slots, verdict,
                                  d.get("topic_zh", "")))
    ids = [x.id for x in intents]
    if len(set(ids)) != len(ids):
        raise CallConfigError(f"{p.name}: duplicate intent ids")
    missing = sorted((rule_ids | open_ids) - set(ids))
    if missing:
        raise CallConfigError(f"{p.name}: no intent for {', '.join(missing)}")
    fr = {k: tuple(v) for k, v in data.get("finding_rules", {}).items()}
    for code, ids_ in fr.items():
        bad = [x for x in ids_ if x not in rule_ids and x not in open_ids]
        if bad:
            raise CallConfigError(f"{p.name}: finding_rules.{code}: unknown ids {bad}")
    h = hashlib.sha256(raw)
    if call.source and call.source.is_file():
        h.update(call.source.read_bytes())
    cues = tuple(data.get("abstain", {}).get("cues", ()))
    actions = {k: tuple(v) for k, v in data.get("actions", {}).items()}
    return Understanding(tuple(intents), fr, h.hexdigest()[:16], cues, actions)
