"""Check the held-out chat set (cases.jsonl): schema, ids, rule ids, askers; print per-kind counts.

Plain Python, no project imports: `python tests/bot/heldout/validate.py [path]`. Exit 1 on any error
(schema or a coverage minimum from the brief not met).
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

UNITS = [
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区", "新疆生产建设兵团",
]
ANSWERS = {"rule", "open", "abstain", "scope", "own", "refuse", "ask_back", "officer", "confirm", "multi"}
RULE_IDS = {f"R{i:02d}" for i in range(1, 36)}
OPEN_IDS = {f"O{i}" for i in range(1, 9)}
EXPECT_KEYS = {"answer", "rules", "open", "verdict", "must", "must_not", "parts"}
CASE_KEYS = {"id", "kind", "as", "now", "turns"}
DEFAULT_NOW = "2023-03-27T09:30:00+08:00"

# Minimums from the brief (kind label -> cases).
MIN_KIND = {"quota": 40, "number": 25, "deadline": 20, "followup": 25, "multi": 20, "scope": 15,
            "abstain": 15, "own": 40, "refuse": 15, "officer": 25, "officer_confirm": 10}
MIN_TOTAL = 360
# Rules that need >= 3 cases of kind "rule".
MIN_RULE = {r: 3 for r in ["R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "R12", "R13", "R14",
                           "R15", "R16", "R17", "R18", "R19", "R20", "R35"]}
MIN_OPEN = {f"O{i}": 5 for i in range(1, 8)}  # cases answered "open" citing each of O1–O7 (any kind)


def check_expect(e, where: str, errors: list[str], top: bool = True) -> None:
    if not isinstance(e, dict):
        errors.append(f"{where}: expect is not an object")
        return
    for k in set(e) - EXPECT_KEYS:
        errors.append(f"{where}: unknown expect key {k!r}")
    ans = e.get("answer")
    if ans not in ANSWERS:
        errors.append(f"{where}: answer {ans!r} not in {sorted(ANSWERS)}")
    for key, valid in (("rules", RULE_IDS), ("open", OPEN_IDS)):
        if key in e:
            v = e[key]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                errors.append(f"{where}: {key} must be a list of strings")
                continue
            bad = [x for x in v if x not in valid]
            if bad:
                errors.append(f"{where}: unknown {key} ids {bad}")
            if len(set(v)) != len(v):
                errors.append(f"{where}: duplicate {key} ids")
    if ans == "open" and not e.get("open"):
        errors.append(f"{where}: answer open needs open ids")
    if "verdict" in e and e["verdict"] not in ("yes", "no"):
        errors.append(f"{where}: verdict must be yes/no")
    if "must" in e:
        m = e["must"]
        if not isinstance(m, list):
            errors.append(f"{where}: must is not a list")
        else:
            for item in m:
                ok = (isinstance(item, str) and item) or (
                    isinstance(item, list) and item and all(isinstance(x, str) and x for x in item))
                if not ok:
                    errors.append(f"{where}: bad must item {item!r}")
    if "must_not" in e:
        mn = e["must_not"]
        if not isinstance(mn, list) or not all(isinstance(x, str) and x for x in mn):
            errors.append(f"{where}: must_not must be a list of non-empty strings")
        elif isinstance(e.get("must"), list):
            flat = {x for item in e["must"] for x in ([item] if isinstance(item, str) else item)}
            clash = flat & set(mn)
            if clash:
                errors.append(f"{where}: {sorted(clash)} both required and forbidden")
    if ans == "multi":
        parts = e.get("parts")
        if not top:
            errors.append(f"{where}: nested multi")
        elif not isinstance(parts, list) or len(parts) < 2:
            errors.append(f"{where}: multi needs >= 2 parts")
        else:
            for i, p in enumerate(parts):
                check_expect(p, f"{where}.parts[{i}]", errors, top=False)
                if isinstance(p, dict) and p.get("answer") == "multi":
                    errors.append(f"{where}.parts[{i}]: a part cannot be multi")
    elif "parts" in e:
        errors.append(f"{where}: parts only with answer multi")


def expects(case):
    """Every expect object of a case (turns and their parts)."""
    for t in case.get("turns", []):
        e = t.get("expect", {})
        yield e
        for p in e.get("parts", []) if isinstance(e, dict) else []:
            yield p


def load(path: Path) -> tuple[list[dict], list[str]]:
    cases, errors = [], []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            c = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        c["_line"] = n
        cases.append(c)
    return cases, errors


def validate(cases: list[dict], errors: list[str]) -> None:
    seen_ids, seen_text = set(), {}
    for c in cases:
        where = f"line {c['_line']}"
        for k in set(c) - CASE_KEYS - {"_line"}:
            errors.append(f"{where}: unknown case key {k!r}")
        cid = c.get("id")
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z]\d{3,}", cid):
            errors.append(f"{where}: bad id {cid!r}")
        elif cid in seen_ids:
            errors.append(f"{where}: duplicate id {cid}")
        else:
            seen_ids.add(cid)
            where = f"{cid} (line {c['_line']})"
        if not isinstance(c.get("kind"), str) or not c["kind"]:
            errors.append(f"{where}: kind missing")
        asker = c.get("as")
        if asker not in ("anyone", "officer") and not (
                isinstance(asker, str) and asker.startswith("province:") and asker[len("province:"):] in UNITS):
            errors.append(f"{where}: bad as {asker!r}")
        now = c.get("now", DEFAULT_NOW)
        try:
            dt = datetime.fromisoformat(now)
            if dt.utcoffset() is None:
                errors.append(f"{where}: now has no UTC offset")
        except (TypeError, ValueError):
            errors.append(f"{where}: bad now {now!r}")
        turns = c.get("turns")
        if not isinstance(turns, list) or not turns:
            errors.append(f"{where}: turns must be a non-empty list")
            continue
        for i, t in enumerate(turns):
            tw = f"{where} turn {i + 1}"
            if not isinstance(t, dict) or set(t) - {"text", "expect"}:
                errors.append(f"{tw}: a turn has exactly text and expect")
                continue
            if not isinstance(t.get("text"), str) or not t["text"].strip():
                errors.append(f"{tw}: empty text")
            if "expect" not in t:
                errors.append(f"{tw}: expect missing")
                continue
            check_expect(t["expect"], tw, errors)
        if c.get("kind") == "followup" and len(turns) < 2:
            errors.append(f"{where}: a followup case needs >= 2 turns")
        if c.get("kind") == "multi" and turns[0].get("expect", {}).get("answer") != "multi":
            errors.append(f"{where}: a multi case's first turn must be answer multi")
        key = (asker, c.get("now"), tuple(t.get("text") for t in turns if isinstance(t, dict)))
        if key in seen_text:
            errors.append(f"{where}: same asker, now and texts as {seen_text[key]}")
        seen_text.setdefault(key, cid)


def coverage(cases: list[dict], errors: list[str]) -> None:
    kinds = Counter(c.get("kind") for c in cases)
    answers = Counter(e.get("answer") for c in cases for e in expects(c))
    turns = sum(len(c.get("turns", [])) for c in cases)
    print(f"{len(cases)} cases, {turns} turns")
    print("\nper kind:")
    for k, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0])):
        need = MIN_KIND.get(k)
        print(f"  {k:16s} {n:4d}" + (f"   (min {need})" if need else ""))
    print("\nper expected answer (turns and parts):")
    for a, n in sorted(answers.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {a:16s} {n:4d}")
    rule_cov = Counter()
    for c in cases:
        if c.get("kind") == "rule":
            for r in {r for e in expects(c) for r in e.get("rules", [])}:
                rule_cov[r] += 1
    any_cov = Counter(r for c in cases for r in {r for e in expects(c) for r in e.get("rules", [])})
    print("\nrule ids: cases of kind 'rule' / cases of any kind")
    print("  " + "  ".join(f"{r}:{rule_cov[r]}/{any_cov[r]}" for r in sorted(RULE_IDS)))
    open_cov = Counter(o for c in cases
                       for o in {o for e in expects(c) if e.get("answer") == "open" for o in e.get("open", [])})
    print("open ids answered 'open' (cases): " + "  ".join(f"{o}:{open_cov[o]}" for o in sorted(OPEN_IDS)))
    verdicts = Counter(e.get("verdict") for c in cases for e in expects(c) if e.get("verdict"))
    print(f"verdicts: yes {verdicts['yes']}, no {verdicts['no']}")
    if len(cases) < MIN_TOTAL:
        errors.append(f"coverage: {len(cases)} cases < {MIN_TOTAL}")
    for k, need in MIN_KIND.items():
        if kinds[k] < need:
            errors.append(f"coverage: kind {k} has {kinds[k]} < {need}")
    for r, need in MIN_RULE.items():
        if rule_cov[r] < need:
            errors.append(f"coverage: rule {r} has {rule_cov[r]} cases of kind 'rule' < {need}")
    for o, need in MIN_OPEN.items():
        if open_cov[o] < need:
            errors.append(f"coverage: open {o} has {open_cov[o]} < {need}")
    missing = sorted(RULE_IDS - set(any_cov))
    if missing:
        print("rule ids no case rests on: " + ", ".join(missing))


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("cases.jsonl")
    cases, errors = load(path)
    validate(cases, errors)
    coverage(cases, errors)
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
