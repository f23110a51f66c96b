"""Digest data: what the morning digest says, computed from the register at one instant (no text here)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from config.call import CallConfig
from core.findings import SEVERITY, code_zh
from core.vocabulary import SEVERITY_ORDER
from core.register import Register
from core.vocabulary import ProvinceStatus

OPEN_SEVERITIES = ("error", "review", "warning")
DIGEST_KIND_ZH = {"daily": "每日收件汇总", "deadline": "截止日加报", "final": "截止后最终登记", "manual": "收件汇总"}

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
    override_reason: str | None = None            # an officer overrode the verdict (shown with the status)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.open if f.severity == severity)

    @property
    def has_problem(self) -> bool:
        """Late, or an open error / item to review: listed first in the digest."""
        return self.status == "late" or any(f.severity in ("error", "review") for f in self.open)

    @property
    def status_shown(self) -> str:
        from core.status_display import shown_status

        return shown_status(self)


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

    def ordered(self) -> list[DigestRow]:
        """What people read first: units with problems (late, errors, items to review), then the other filed
        ones; not-filed units are one line (``not_filed_line``), not 20 empty rows."""
        problems = [r for r in self.rows if r.status != "not_filed" and r.has_problem]
        clean = [r for r in self.rows if r.status != "not_filed" and not r.has_problem]
        return problems + clean

    @functools.cached_property
    def series(self) -> list:
        """The status chart's curve (``bot.digest.chart.status_series``), computed once for the HTML bars and
        the PNG chart of this digest."""
        from bot.digest.chart import status_series

        return status_series(self.register, self.call, self.generated_at)

    @property
    def time_left(self) -> timedelta:
        return self.call.deadline - self.generated_at

    @property
    def title(self) -> str:
        local = self.call.to_local(self.slot_at)
        return f"{self.call.doc_no} {DIGEST_KIND_ZH.get(self.kind, '收件汇总')} {local:%Y-%m-%d %H:%M}"


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
            paper=r.paper_copy_date, override_reason=r.override_reason))
    snap = snapshot_of(reg, shunted)
    status_zh = {r.status: r.status_zh for r in reg.rows} | {"not_filed": "未申报", "filed": "已申报",
                                                             "late": "逾期视为未申报"}
    changes = changes_between(previous, snap, status_zh)
    counts = reg.counts() | {"shunted": shunted}
    return DigestData(call=call, kind=kind, slot_at=slot_at, generated_at=reg.generated_at, counts=counts, rows=rows,
                      changes=changes, since=previous_at, not_filed=[r.province for r in rows if r.status == "not_filed"],
                      unidentified=list(reg.unidentified), shunted=shunted, health=health, register=reg,
                      snapshot=snap)
