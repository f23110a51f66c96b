"""A fixture database of all 37 units (31 provinces + 兵团 + 5 计划单列市 filing through their provinces)
in every state, made of real model rows over real archived raw messages.

Phase ``morning`` is the state at 2023-03-26 08:30 (deadline day); ``final`` adds what arrived until just
after the deadline (00:01), and the resolutions (甘肃 resubmitted, 北京 paper copy).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.findings import SEVERITY, FindingSpec
from core.province_state import store_states
from demo.samples.mail import Attachment, build_message
from models.dossier import Dossier
from core.vocabulary import ProvinceStatus, ReceiptStatus, Source, TimeSource
from models.finding import Finding
from models.receipt import Receipt
from models.submission import Document, Submission

KINDS = ("cover_letter", "plan", "budget", "performance_targets", "evidence")


@dataclass
class Mail:
    key: str
    province: str | None
    unit: str                      # who sent it (a 计划单列市's bureau files for its province)
    sender: str
    boxes: dict[str, str]          # mailbox key -> local arrival "03-26 23:59:59"
    sub_codes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = KINDS
    pages: int = 2
    phase: str = "morning"


MAILS = [
    Mail("bj", "北京市", "北京市", "czj_sbc@bj.gov.cn", {"mof": "03-24 10:12:05", "mohrss": "03-24 10:12:09"}),
    Mail("tj", "天津市", "天津市", "sbc@tj.gov.cn", {"mof": "03-25 16:40:00"}, ("one_mailbox_only",)),
    Mail("heb", "河北省", "河北省", "sbc@hebei.gov.cn", {"mof": "03-25 09:05:00", "mohrss": "03-25 09:05:30"},
         kinds=("cover_letter", "budget", "performance_targets", "evidence")),
    Mail("sx", "山西省", "山西省", "sbc@shanxi.gov.cn", {"mof": "03-23 14:20:00", "mohrss": "03-23 14:21:00"}, pages=7),
    Mail("nm", "内蒙古自治区", "内蒙古自治区", "zhangsan@163.com", {"mof": "03-26 11:02:00", "mohrss": "03-26 11:02:10"},
         ("unknown_sender",), phase="final"),
    Mail("ln", "辽宁省", "辽宁省", "sbc@ln.gov.cn", {"mof": "03-24 15:00:00", "mohrss": "03-24 15:00:20"}),
    Mail("dl", "辽宁省", "大连市", "sbc@dl.gov.cn", {"mof": "03-25 10:00:00", "mohrss": "03-25 10:00:40"},
         ("resubmission",)),
    Mail("qd", "山东省", "青岛市", "czj@qingdao.gov.cn", {"mof": "03-22 17:36:00", "mohrss": "03-22 17:36:02"}),
    Mail("nb", "浙江省", "宁波市", "sbc@ningbo.gov.cn", {"mof": "03-26 23:59:59", "mohrss": "03-27 00:00:30"},
         ("one_mailbox_only",), phase="final"),
    Mail("xm", "福建省", "厦门市", "czj@xm.gov.cn", {"mof": "03-25 08:00:00", "mohrss": "03-25 08:00:03"}),
    Mail("gd", "广东省", "广东省", "sbc@gd.gov.cn", {"mof": "03-20 10:12:00", "mohrss": "03-20 10:12:01"}),
    Mail("sz", "广东省", "深圳市", "czj@sz.gov.cn", {"mof": "03-24 09:00:00", "mohrss": "03-24 09:00:05"},
         ("resubmission",)),
    Mail("gs1", "甘肃省", "甘肃省", "sbc@gansu.gov.cn", {"mof": "03-20 09:05:00", "mohrss": "03-20 09:05:04"}),
    Mail("gs2", "甘肃省", "甘肃省", "sbc@gansu.gov.cn", {"mof": "03-26 10:30:00", "mohrss": "03-26 10:30:03"},
         ("resubmission",), kinds=KINDS + ("prior_report",), phase="final"),
    Mail("js", "江苏省", "江苏省", "sbc@jiangsu.gov.cn", {"mof": "03-27 00:01:00", "mohrss": "03-27 00:01:05"},
         ("late_arrival", "borderline_sent_before_deadline"), phase="final"),
    Mail("sc", "四川省", "四川省", "sbc@sc.gov.cn", {"mof": "03-25 11:20:00", "mohrss": "03-25 11:20:02"},
         kinds=("cover_letter", "plan", "budget", "evidence")),
    Mail("hen", "河南省", "河南省", "sbc@henan.gov.cn", {"mof": "03-24 15:48:00", "mohrss": "03-24 15:48:09"}, pages=6),
    Mail("hun", "湖南省", "湖南省", "sbc@hunan.gov.cn", {"mof": "03-24 20:41:00", "mohrss": "03-24 20:41:01"}),
    Mail("hub", "湖北省", "湖北省", "sbc@hubei.gov.cn", {"mof": "03-23 09:00:00", "mohrss": "03-23 09:00:02"}),
    Mail("hub2", "湖北省", "湖北省", "sbc@hubei.gov.cn", {"mof": "03-27 00:00:10", "mohrss": "03-27 00:00:12"},
         ("late_arrival",), phase="final"),
    Mail("u1", None, "?", "zhangwei1987@example.com", {"mof": "03-25 22:17:00"}),
    Mail("u2", None, "?", "li.lei@example.org", {"mohrss": "03-27 00:03:00"}, phase="final"),
]

# dossier findings per phase: province -> codes
DOSSIER = {
    "morning": {"河北省": ("missing_plan",), "山西省": ("total_over_page_limit", "non_a4_pages"),
                "四川省": ("missing_performance_targets",), "河南省": ("plan_over_page_limit", "link_only_attachment"),
                "福建省": ("no_seal_detected",), "甘肃省": ("missing_prior_report",)},
}
DOSSIER["final"] = {**DOSSIER["morning"], "甘肃省": ()}
PAPER = {"morning": {"山东省": date(2023, 3, 23), "湖南省": date(2023, 3, 25)},
         "final": {"山东省": date(2023, 3, 23), "湖南省": date(2023, 3, 25), "北京市": date(2023, 3, 26)}}
SHUNTED_AT = "03-25 13:00:00"


def local(call, text: str) -> datetime:
    return datetime.fromisoformat(f"2023-{text.replace(' ', 'T')}").replace(tzinfo=call.tz)


def _spec(code: str) -> FindingSpec:
    return FindingSpec(code, f"{code} 的说明（测试）", clause="（测试条款）", section="二（三）")


async def _finding(code, now, **kw):
    s = _spec(code)
    await Finding.create(code=code, severity=SEVERITY[code], message=s.message, clause=s.clause, section=s.section,
                         created_at=now, **kw)


async def _mail(services, m: Mail, uid: int, now: datetime) -> None:
    call = services.call
    first = min(local(call, t) for t in m.boxes.values())
    files = [(f"{m.unit}{k}.pdf", f"%PDF-1.4 {m.key} {k}".encode()) for k in m.kinds]
    raw = build_message(sender=m.sender, sender_name=f"{m.unit}财政局", to=[call.mailbox(b).address for b in m.boxes],
                        subject=f"{m.unit}2023年申报材料" if m.province else "材料", sent_at=first - timedelta(seconds=20),
                        body_text="见附件", attachments=[Attachment(n, d, "application/pdf") for n, d in files])
    on_time = any(call.is_on_time(local(call, t)) for t in m.boxes.values())
    sub = await Submission.create(call_id=call.id, group_key=f"mid:{m.key}", message_id=f"<{m.key}@fixture>",
                                  sender=m.sender, subject=f"{m.unit}2023年申报材料" if m.province else "材料",
                                  province=m.province, attribution={"method": "sender" if m.province else None},
                                  first_received_at=first, on_time=on_time, date_sent=first - timedelta(seconds=20),
                                  created_at=now, updated_at=now)
    sha, rel = services.archive.put(raw, "raw", ".eml")
    for i, (box, t) in enumerate(sorted(m.boxes.items())):
        await Receipt.create(mailbox=box, source=Source.IMAP, sha256=sha, size=len(raw), archive_path=rel,
                             received_at=local(call, t), time_source=TimeSource.IMAP_INTERNALDATE,
                             imap_account=box, imap_folder="INBOX", imap_uidvalidity=1, imap_uid=uid + i,
                             message_id=sub.message_id, sender=m.sender, subject=sub.subject,
                             status=ReceiptStatus.PROCESSED, created_at=local(call, t), processed_at=local(call, t),
                             submission=sub)
    for k, (name, data) in zip(m.kinds, files):
        dsha, drel = services.archive.put(data, "files", "")
        await Document.create(submission=sub, filename=name, content_type="application/pdf", sha256=dsha,
                              size=len(data), archive_path=drel, kind=k, pages=m.pages if k != "cover_letter" else 2,
                              created_at=now)
    for code in m.sub_codes:
        await _finding(code, now, scope="submission", province=m.province, submission=sub)


async def build(services, phase: str) -> None:
    """Bring the database to ``phase`` (morning, then final); re-running a phase adds nothing twice."""
    call, now = services.call, services.clock.now()
    phases = ("morning",) if phase == "morning" else ("morning", "final")
    have = set(await Submission.all().values_list("group_key", flat=True))
    for uid, m in enumerate(MAILS):
        if m.phase in phases and f"mid:{m.key}" not in have:
            await _mail(services, m, 100 + uid * 2, now)
    if not await Receipt.filter(status=ReceiptStatus.SHUNTED).exists():
        raw = b"Subject: broken\r\n\r\n\xff\xfe"
        sha, rel = services.archive.put(raw, "raw", ".eml")
        await Receipt.create(mailbox="mof", source=Source.IMAP, sha256=sha, size=len(raw), archive_path=rel,
                             received_at=local(call, SHUNTED_AT), time_source=TimeSource.IMAP_INTERNALDATE,
                             status=ReceiptStatus.SHUNTED, error="ValueError: fixture", created_at=now)
    await Finding.filter(scope="dossier").delete()
    subs = await Submission.filter(province__not_isnull=True)
    for name in call.province_names():
        mine = [s for s in subs if s.province == name]
        status = ProvinceStatus.FILED if any(s.on_time for s in mine) else \
            ProvinceStatus.LATE if mine else ProvinceStatus.NOT_FILED
        d, _ = await Dossier.get_or_create(call_id=call.id, province=name, defaults={"updated_at": now})
        d.status, d.updated_at = status, now
        d.paper_copy_date = PAPER[phase].get(name)
        await d.save()
        paper = ("paper_copy_missing",) if status == ProvinceStatus.FILED and not d.paper_copy_date else ()
        for code in DOSSIER[phase].get(name, ()) + paper:
            await _finding(code, now, scope="dossier", province=name)
    await store_states(call)                  # rows written directly: store the kept state the register reads
