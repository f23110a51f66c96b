"""Submission-level findings: time (late, borderline), sender registration, how the time was taken."""
from __future__ import annotations

from config.call import CallConfig
from core.findings import FindingSpec
from core.vocabulary import TimeSource
from models.receipt import Receipt
from models.submission import Submission

LATE_CLAUSE = "2023年3月26日24时前发送财政部、人力资源社会保障部邮箱，逾期发送的视为未申报。"
SECTION = "二（三）"


def _bj(call: CallConfig, dt) -> str:
    return call.to_local(dt).strftime("%Y-%m-%d %H:%M:%S")


def submission_findings(call: CallConfig, sub: Submission, receipts: list[Receipt],
                        attribution: dict | None) -> list[FindingSpec]:
    out: list[FindingSpec] = []
    clause = call.deadline_clause or LATE_CLAUSE
    section = call.deadline_section or SECTION
    deadline = _bj(call, call.deadline)
    if not sub.on_time and receipts:
        first = min(r.received_at for r in receipts)
        out.append(FindingSpec("late_arrival", f"到达时间 {_bj(call, first)}（北京时间），晚于截止时间 {deadline}，"
                               f"按通知逾期视为未申报", {"received_at": first.isoformat(),
                                                   "deadline": call.deadline.isoformat()}, clause, section))
        if sub.date_sent and sub.date_sent < call.deadline:
            out.append(FindingSpec(
                "borderline_sent_before_deadline",
                f"邮件 Date 头显示发送于 {_bj(call, sub.date_sent)}（截止前），但服务器收到时间为 {_bj(call, first)}；"
                "以服务器时间为准记为逾期，请处室人员复核", {"date_sent": sub.date_sent.isoformat(),
                                              "received_at": first.isoformat()}, clause, section))
    if attribution and sub.province and not attribution.get("registered_sender") \
            and attribution.get("method") not in ("officer", "sender"):
        out.append(FindingSpec("unknown_sender", f"发件人 {sub.sender or '（无）'} 不在{sub.province}的登记发件地址中，"
                               f"省份由{_METHOD_ZH.get(attribution.get('method'), '其他信息')}推断，请复核并确认发件人",
                               {"sender": sub.sender, "method": attribution.get("method")}))
    for r in receipts:
        if r.time_source == TimeSource.RECEIVED_HEADER:
            out.append(FindingSpec("time_from_received_header",
                                   f"{r.ref} 为人工导入邮件，到达时间取自收件服务器最上方的 Received 头："
                                   f"{_bj(call, r.received_at)}", {"receipt": r.ref, "mailbox": r.mailbox}))
        elif r.time_source == TimeSource.OPERATOR:
            out.append(FindingSpec("time_set_by_operator", f"{r.ref} 为人工导入邮件，到达时间由操作人员指定："
                                   f"{_bj(call, r.received_at)}", {"receipt": r.ref, "mailbox": r.mailbox}))
    return out


_METHOD_ZH = {"subject": "邮件主题", "filename": "附件文件名", "text": "申报文件正文"}
