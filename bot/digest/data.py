"""Digest data: what the morning digest says, computed from the register at one instant (no text here)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from config.call import CallConfig
from core.findings import SEVERITY, SEVERITY_ORDER
from core.register import Register
from core.vocabulary import ProvinceStatus

OPEN_SEVERITIES = ("error", "review", "warning")
KIND_ZH = {"daily": "每日收件汇总", "deadline": "截止日加报", "final": "截止后最终登记", "manual": "收件汇总"}
DOC_KIND_ZH = {"cover_letter": "申报文件", "plan": "实施方案", "budget": "资金预算表",
               "performance_targets": "绩效目标表", "evidence": "佐证材料", "prior_report": "2022年执行情况报告",
               "other": "其他", None: "未识别类型"}
CODE_ZH = {
    "late_arrival": "截止后到达", "borderline_sent_before_deadline": "发送时间在截止前、到达在截止后",
    "one_mailbox_only": "只发到一个邮箱", "missing_cover_letter": "缺申报文件", "missing_plan": "缺实施方案",
    "missing_budget": "缺资金预算表", "missing_performance_targets": "缺绩效目标表", "missing_evidence": "缺佐证材料",
    "missing_prior_report": "缺2022年执行情况报告", "plan_over_page_limit": "实施方案超页",
    "total_over_page_limit": "合计超页", "non_a4_pages": "含非A4页面", "not_scanned": "申报文件非扫描件",
    "no_seal_detected": "未见印章", "not_joint_issuance": "未联合行文", "quota_exceeded": "推荐城市超名额",
    "city_previously_selected": "城市已入选过", "subsidy_over_cap": "补助超上限", "subsidy_unreadable": "补助金额待核",
    "period_over_limit": "实施期超限", "period_unreadable": "实施期待核", "unreadable_attachment": "附件无法读取",
    "link_only_attachment": "超大附件链接", "unsupported_attachment_type": "附件类型无法检查",
    "unknown_sender": "发件人未登记", "resubmission": "重新报送", "paper_copy_missing": "纸质版未登记",
    "time_from_received_header": "到达时间取自Received头", "time_set_by_operator": "到达时间由人工设定",
}


def code_zh(code: str) -> str:
    return CODE_ZH.get(code, code)


def _by_severity(codes) -> list[str]:
    order = [s.value for s in SEVERITY_ORDER]
    return sorted(codes, key=lambda c: (order.index(SEVERITY[c].value) if c in SEVERITY else 9, c))


@dataclass
class MailboxHealth:
    key: str
    label: str                       # e.g. 财政部社会保障司 sbsjyc@163.com
    state: str                       # ok / down / unwatched
    last_ok_at: datetime | None = None
    last_error: str | None = None


@dataclass
class OpenFinding:
    code: str
    severity: str
    message: str


@dataclass
class DigestRow:
    province: str
    status: str
    status_zh: str
    arrivals: dict[str, datetime | None]          # mailbox key -> first on-time arrival (UTC)
    submissions: int
    late_submissions: int
    pages: int | None
    open: list[OpenFinding]
    paper: str | None                             # date registered, or None

    def count(self, severity: str) -> int:
        return sum(1 for f in self.open if f.severity == severity)


@dataclass
class DigestData:
    call: CallConfig
    kind: str                                     # daily / deadline / final / manual
    slot_at: datetime                             # the scheduled instant (UTC)
    generated_at: datetime
    counts: dict[str, int]
    rows: list[DigestRow]
    changes: list[str]
    since: datetime | None                        # when the previous digest was made
    not_filed: list[str]
    unidentified: list                            # core.register.UnidentifiedRow
    shunted: int
    health: list[MailboxHealth]
    register: Register = field(repr=False)
    snapshot: dict = field(default_factory=dict)
    audit_tip: tuple[int, str] | None = None      # (entries, newest hash): an outside witness of the audit log

    @property
    def time_left(self) -> timedelta:
        return self.call.deadline - self.generated_at

    @property
    def title(self) -> str:
        local = self.call.to_local(self.slot_at)
        return f"{self.call.doc_no} {KIND_ZH.get(self.kind, '收件汇总')} {local:%Y-%m-%d %H:%M}"


def format_left(left: timedelta) -> str:
    if left <= timedelta(0):
        return "已截止"
    days, rem = divmod(int(left.total_seconds()), 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if days:
        return f"剩余{days}天{hours}小时"
    if hours:
        return f"剩余{hours}小时{minutes}分"
    return f"剩余{minutes}分钟"


def snapshot_of(reg: Register, shunted: int) -> dict:
    """The comparable state stored with each digest run (ScheduledRun.detail['snapshot'])."""
    return {"provinces": {r.province: {"status": r.status,
                                       "codes": sorted({f.code for f in r.findings if f.severity in OPEN_SEVERITIES}),
                                       "submissions": len(r.submissions), "paper": r.paper_copy_date,
                                       "pages": r.pages_total} for r in reg.rows},
            "unidentified": sorted(u.submission for u in reg.unidentified), "shunted": shunted}


def changes_between(before: dict | None, after: dict, status_zh: dict[str, str]) -> list[str]:
    """Lines (Chinese) describing what changed; one line per province plus the queues."""
    if not before:
        return []
    out = []
    old_p = before.get("provinces", {})
    for name, now in after["provinces"].items():
        was = old_p.get(name) or {"status": ProvinceStatus.NOT_FILED.value, "codes": [], "submissions": 0,
                                  "paper": None, "pages": None}
        bits = []
        if was["status"] != now["status"]:
            bits.append(f"{status_zh.get(was['status'], was['status'])}→{status_zh.get(now['status'], now['status'])}")
        if now["submissions"] > was["submissions"]:
            bits.append(f"新收到报送{now['submissions'] - was['submissions']}份")
        added = _by_severity(c for c in now["codes"] if c not in was["codes"])
        gone = _by_severity(c for c in was["codes"] if c not in now["codes"])
        if added:
            bits.append("新问题：" + "、".join(code_zh(c) for c in added))
        if gone:
            bits.append("已消除：" + "、".join(code_zh(c) for c in gone))
        if now["paper"] and not was["paper"]:
            bits.append(f"纸质版已登记（{now['paper']}）")
        if bits:
            out.append(f"{name}：" + "；".join(bits))
    new_u = [u for u in after["unidentified"] if u not in before.get("unidentified", [])]
    done_u = [u for u in before.get("unidentified", []) if u not in after["unidentified"]]
    if new_u:
        out.append(f"未识别来信新增{len(new_u)}封（{'、'.join(new_u)}）")
    if done_u:
        out.append(f"未识别来信已归属{len(done_u)}封")
    if after["shunted"] != before.get("shunted", 0):
        out.append(f"处理失败（shunted）{before.get('shunted', 0)}→{after['shunted']}")
    return out


def build_digest(call: CallConfig, reg: Register, *, kind: str, slot_at: datetime, shunted: int,
                 health: list[MailboxHealth], previous: dict | None, previous_at: datetime | None) -> DigestData:
    """Pure: the register plus the previous snapshot → everything the digest shows."""
    rows = []
    for r in reg.rows:
        rows.append(DigestRow(
            province=r.province, status=r.status, status_zh=r.status_zh, arrivals=dict(r.first_on_time),
            submissions=sum(1 for s in r.submissions if s.on_time),
            late_submissions=sum(1 for s in r.submissions if not s.on_time), pages=r.pages_total,
            open=[OpenFinding(f.code, f.severity, f.message) for f in r.findings if f.severity in OPEN_SEVERITIES],
            paper=r.paper_copy_date))
    snap = snapshot_of(reg, shunted)
    status_zh = {r.status: r.status_zh for r in reg.rows} | {"not_filed": "未申报", "filed": "已申报",
                                                             "late": "逾期视为未申报"}
    changes = changes_between(previous, snap, status_zh)
    counts = reg.counts() | {"shunted": shunted}
    return DigestData(call=call, kind=kind, slot_at=slot_at, generated_at=reg.generated_at, counts=counts, rows=rows,
                      changes=changes, since=previous_at, not_filed=[r.province for r in rows if r.status == "not_filed"],
                      unidentified=list(reg.unidentified), shunted=shunted, health=health, register=reg,
                      snapshot=snap)
