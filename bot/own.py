"""A province's own record and the officers' views, from the register (never from a generic rule).

``dossier_answer`` answers what a bound contact (or an officer, for any province) asked — totals and limits,
arrival per mailbox with the Date: header, which version counts, missing documents, receipt references, the
review flag, next steps — with the direct answer first (``lead``), then the record. ``overview_answer`` is the
officers' picture of all units. Rule ids come from the findings (``finding_rules`` of the understanding data)
and from what was asked.
"""
from __future__ import annotations

import re
from datetime import datetime

from config.call import CallConfig
from config.understanding import Understanding
from core.findings import MISSING_KIND
from core.register import ProvinceRow, Register
from core.services import Services
from core.vocabulary import kind_zh

from bot import answer_types as A
from bot import verdicts
from bot.compose import beijing, dossier_from_register, read_register, remaining, rule_item

FOCUS_RULES = {"own_pages": ("R12", "R13", "R14"), "own_late": ("R05", "R06"), "own_cities": ("R15", "R16"),
               "own_paper": ("R07",), "own_arrival": ("R04",)}
_MENTIONED = (("执行情况", "R20"), ("纸质", "R07"), ("纸件", "R07"), ("预算", "R09"), ("绩效", "R10"),
              ("佐证", "R11"), ("补助", "R18"), ("金额", "R18"), ("实施期", "R19"), ("期限", "R19"),
              ("盖章", "R03"), ("联合", "R01"))
_FOCUS = {"own_status": "all", "own_arrival": "receipt", "own_pages": "all", "own_missing": "missing",
          "own_problems": "problems", "own_versions": "receipt", "own_next": "all", "own_late": "receipt",
          "own_refs": "receipt", "own_cities": "all", "own_files": "all", "own_paper": "paper"}


def _t(call: CallConfig, when: datetime | None, seconds: bool = True) -> str:
    if when is None:
        return "—"
    return call.to_local(when).strftime("%m-%d %H:%M:%S" if seconds else "%m-%d %H:%M")


def submission_lines(call: CallConfig, row: ProvinceRow) -> list[str]:
    """One line per e-mail: ref, arrival per mailbox (server time), the sender's Date:, on time or not."""
    names = {m.key: m.org.replace("社会保障司", "").replace("就业促进司", "") + f"邮箱 {m.address}" for m in call.mailboxes}
    out = []
    for s in row.submissions:
        arr = "；".join(f"{names.get(r.mailbox, r.mailbox)} {_t(call, r.received_at)} 到达（回执 {r.ref}）"
                       for r in s.receipts) or "—"
        missing = [names[k] for k in names if k not in {r.mailbox for r in s.receipts}]
        miss = f"；{'、'.join(missing)} 未收到" if missing else ""
        date = f"；邮件 Date: 头 {_t(call, s.date_sent)}" if s.date_sent else ""
        out.append(f"{s.ref}「{s.subject[:40]}」：{arr}{miss}{date}（{'按时' if s.on_time else '逾期'}）")
    return out


def _codes(row: ProvinceRow) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in row.findings:
        out.setdefault(f.code, []).append(f)
    return out


def _rules_of(und: Understanding, codes) -> tuple[list[str], list[str]]:
    rules, opens = [], []
    for c in codes:
        for x in und.finding_rules.get(c, ()):
            (opens if x.startswith("O") else rules).append(x)
    return rules, opens


def _non_a4(row: ProvinceRow) -> list[str]:
    out = []
    for d in row.documents:
        pd = d.page_detail or {}
        if pd.get("non_a4_count"):
            out.append(f"{kind_zh(d.kind or 'other')}「{d.filename}」：{pd.get('arithmetic', '')}（{pd.get('sheets')} 张）")
    return out


_ON_TIME_ASK = re.compile(r"按时|准时|逾期|超时|晚了|算数|有效|算不算|没赶上|赶上")


def _lead(call: CallConfig, row: ProvinceRow, focus: str, text: str, und: Understanding) -> tuple[list[str], A.Verdict | None]:
    lead: list[str] = []
    verdict = None
    codes = _codes(row)
    lim = call.limits
    boxes = {m.key: m for m in call.mailboxes}
    if row.status == "not_filed" and not row.submissions:
        return [f"{row.province}：{row.status_zh}——系统中没有收到{row.province}的申报邮件（两个邮箱都未收到）。"], None
    if focus in ("own_status", "own_arrival", "own_late", "own_versions", "own_refs"):
        for k, m in boxes.items():
            at = row.first_on_time.get(k)
            lead.append(f"{m.org} {m.address}：" + (f"{_t(call, at)} 收到（按时）" if at else "未收到按时到达的邮件"))
    if focus == "own_late" or "late_arrival" in codes:
        for s in row.submissions:
            if not s.on_time:
                lead.append(f"{s.ref} 到达 {_t(call, s.first_received_at)}（截止为{call.deadline_text}，以到达邮箱的服务器时间为准，"
                            f"逾期发送的{call.late_outcome}）")
                if s.date_sent:
                    lead.append(f"邮件 Date: 头（发件方电脑的时间）为 {_t(call, s.date_sent)}，不作为到达时间")
        if "borderline_sent_before_deadline" in codes:
            lead.append("发送时间早于截止、到达晚于截止：已标记“待人工复核”，由部里工作人员研判，请留意联系人通知。")
    if focus in ("own_status", "own_late", "own_arrival") and _ON_TIME_ASK.search(text) and row.status in ("filed", "late"):
        ok = row.status == "filed"
        verdict = A.Verdict(ok, f"{row.province}：{row.status_zh}", [
            f"截止：{call.deadline_text}（以到达邮箱的服务器时间为准）"])
    if focus == "own_pages" or (focus == "own_status" and any(w in text for w in ("页", "超"))):
        plan = next((d.pages for d in row.documents if d.kind == "plan"), None)
        lead.append(f"按A4单版面计算：合计 {row.pages_total if row.pages_total is not None else '—'} 页"
                    f"（上限 {lim.filing_max_pages} 页）；实施方案 {plan if plan is not None else '—'} 页（上限 {lim.plan_max_pages} 页）")
        lead.extend(f"· {x}" for x in _non_a4(row))
        if _non_a4(row):
            lead.append("A3等非A4页面按面积折算（A3计2页）：这是本系统的做法，通知只写“以A4单版面计算”，未明确如何折算，"
                        "如有异议请联系部里联系人。")
        vs = []
        whole = any(w in text for w in ("总", "一共", "全部", "合计", "加起来", "30", "整个"))
        only_plan = "方案" in text and not whole
        if plan is not None and not (whole and "方案" not in text):
            vs.append(verdicts.plan_pages(call, _pages(plan=plan)))
        if row.pages_total is not None and not only_plan:
            vs.append(verdicts.total_pages(call, _pages(total=row.pages_total)))
        vs = [v for v in vs if v]
        if vs:
            ok = all(v.ok for v in vs)
            verdict = A.Verdict(ok, "；".join(v.conclusion for v in vs), [ln for v in vs for ln in v.lines])
    if focus == "own_missing":
        missing = [kind_zh(MISSING_KIND[c]) for c in codes if c in MISSING_KIND]
        lead.append("还差：" + "、".join(missing) if missing else "必交材料齐全（实施方案、资金预算表、绩效目标表、佐证材料均已识别）")
        if "paper_copy_missing" in codes:
            lead.append("纸质版：尚未登记收到，请按通知同时报送纸质版文件。")
    if focus == "own_versions":
        ontime = [s for s in row.submissions if s.on_time]
        if len(row.submissions) > 1:
            lead.append(f"共收到 {len(row.submissions)} 次报送：" + "、".join(
                f"{s.ref}（{_t(call, s.first_received_at)}）" for s in row.submissions))
        if ontime:
            lead.append(f"以最新一次按时报送为准：{ontime[-1].ref}（{_t(call, ontime[-1].first_received_at)} 到达）；"
                        "每类材料取最新一次按时收到的版本，旧版本中未被替换的材料仍然有效。")
    if focus == "own_refs":
        lead.append("报送编号：" + "、".join(s.ref for s in row.submissions) + "；收件回执编号：" +
                    "、".join(r.ref for s in row.submissions for r in s.receipts))
    if focus in ("own_next", "own_late") or (focus == "own_status" and row.status == "late"):
        todo = [f.message for f in row.findings if f.severity in ("error", "warning")]
        if row.status == "late":
            lead.append(f"按通知，逾期发送的{call.late_outcome}；截止后重新发送也不会改变结果。如有特殊情况请联系部里联系人。")
        if "paper_copy_missing" in codes:
            lead.append("下一步：按通知同时报送纸质版文件（纸质版尚未登记收到）。")
        lead.extend(f"· {x}" for x in todo[:6] if "纸质" not in x)
    if focus == "own_cities" or (row.cities and any(w in text for w in ("超额", "名额", "两个市", "几个市"))):
        lead.append("登记的申报城市：" + ("、".join(row.cities) if row.cities else "（未识别出城市）"))
        cities = row.cities
        if not cities:                          # nothing read off the filing yet: the cities the contact names
            from bot.slots import extract

            cities = list(extract(text, call).cities)
            if cities:
                lead.append("材料中的城市尚未读出；按您说的 " + "、".join(cities) + " 计算：")
        if cities:
            verdict = verdicts.quota(call, row.province, cities, None)
            if verdict:
                lead.append(("可以：" if verdict.ok else "不可以：") + verdict.conclusion)
                lead.extend(verdict.lines)
    if focus == "own_files":
        lead.append("识别出的材料：" + "；".join(f"{kind_zh(d.kind or 'other')}「{d.filename}」" for d in row.documents))
    if focus == "own_paper":
        lead.append(f"纸质版：已登记，{row.paper_copy_date} 寄出，单号 {row.paper_copy_tracking or '—'}" if row.paper_copy_date
                    else "纸质版：尚未登记收到。按通知应在发送电子版的同时报送纸质版文件。")
    if focus == "own_problems" or "读不出" in text or "读不到" in text:
        for code in ("subsidy_unreadable", "period_unreadable"):
            if code in codes:
                lead.append(codes[code][0].message + "：系统读不出数字时由部里人工核对，无需处理。")
    return lead, verdict


def _pages(plan=None, total=None):
    from bot.numbers import Pages

    p = Pages()
    if plan is not None:
        p.parts["plan"] = plan
    if total is not None:
        p.total_stated = total
    return p


def dossier_answer(call: CallConfig, und: Understanding, reg: Register, province: str, now: datetime, focus: str,
                   text: str, officer_view: bool = False) -> A.DossierAnswer:
    row = reg.row(province)
    a = dossier_from_register(call, reg, province, now, _FOCUS.get(focus, "all"), officer_view)
    if focus in ("own_status", "own_next", "own_problems") or officer_view:
        a.focus = "all"
    a.lead, a.verdict = _lead(call, row, focus, text, und)
    a.submissions = submission_lines(call, row)
    codes = dict.fromkeys(f.code for f in row.findings if f.severity in ("error", "warning"))  # ordered: a set's
    rules, opens = _rules_of(und, codes)                  # order varied run to run (hash seed), and the basis with it
    rules = list(FOCUS_RULES.get(focus, ())) + rules
    rules += [r for w, r in _MENTIONED if w in text]
    if focus == "own_pages" and _non_a4(row):
        opens.append("O5")
    if focus in ("own_late",) or "late_arrival" in {f.code for f in row.findings}:
        rules += ["R05", "R06"]
    a.rules = list(dict.fromkeys(r for r in rules if any(x.id == r for x in call.rules)))
    a.open_ids = list(dict.fromkeys(opens))
    a.basis = [rule_item(call, r) for r in a.rules[:3]]
    return a


async def register(services: Services, province: str | None = None) -> Register:
    return await read_register(services, province)


def overview_answer(call: CallConfig, reg: Register, now: datetime) -> A.OverviewAnswer:
    filed = [(r.province, sum(1 for f in r.findings if f.severity == "error")) for r in reg.rows if r.status == "filed"]
    left, _ = remaining(call, now)
    late_detail = []
    for r in reg.rows:
        for s in r.submissions:
            if not s.on_time:
                late_detail.append(f"{r.province} {s.ref} 到达 {_t(call, s.first_received_at)}"
                                   + (f"（邮件 Date: 头 {_t(call, s.date_sent)}）" if s.date_sent else ""))
    for u in reg.unidentified:
        if not u.on_time:
            late_detail.append(f"未识别 {u.submission} 到达 {_t(call, u.first_received_at)}")
    problems = []
    for r in reg.rows:
        errs = [f for f in r.findings if f.severity == "error"]
        if errs:
            problems.append(f"{r.province}：" + "；".join(f.message for f in errs) +
                            (f"（合计 {r.pages_total} 页）" if r.pages_total is not None and any(
                                "page" in f.code for f in errs) else ""))
    one_box = [r.province for r in reg.rows if any(f.code == "one_mailbox_only" for f in r.findings)]
    paper = [r.province for r in reg.rows if r.paper_copy_date]
    return A.OverviewAnswer(reg.counts(), filed, [r.province for r in reg.rows if r.status == "late"],
                            [r.province for r in reg.rows if r.status == "not_filed"], len(reg.unidentified), left,
                            late_detail, problems, one_box, paper, [u.submission for u in reg.unidentified])


def unidentified_answer(call: CallConfig, reg: Register) -> A.UnidentifiedAnswer:
    items = []
    for u in reg.unidentified:
        ev = (u.attribution or {}).get("evidence") or {}
        cands = sorted({p for v in ev.values() if isinstance(v, dict) for p in v})
        items.append(A.UnidentifiedItem(u.submission, u.subject, u.sender, beijing(call, u.first_received_at),
                                        u.on_time, [r.ref for r in u.receipts], cands))
    return A.UnidentifiedAnswer(items)
