"""Submission-level checks: time (late, borderline), sender registration, how an imported time was taken."""
from __future__ import annotations

from config.call import CallConfig
from core.findings import FindingSpec
from core.vocabulary import TimeSource
from precheck.checks.context import SubmissionContext

_METHOD_ZH = {"subject": "邮件主题", "filename": "附件文件名", "text": "申报文件正文"}


def _bj(call: CallConfig, dt) -> str:
    return call.to_local(dt).strftime("%Y-%m-%d %H:%M:%S")


def _first_arrival(ctx: SubmissionContext):
    return min(r.received_at for r in ctx.receipts)


def _deadline_clause(call: CallConfig) -> tuple[str, str]:
    return call.deadline_clause, call.deadline_section


class LateArrival:
    name = "late_arrival"
    scope = "submission"
    rule = "R06"

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        if ctx.submission.on_time or not ctx.receipts:
            return []
        call, first = ctx.call, _first_arrival(ctx)
        return [FindingSpec("late_arrival", f"到达时间 {_bj(call, first)}（北京时间），晚于截止时间 "
                            f"{_bj(call, call.deadline)}，按通知逾期视为未申报",
                            {"received_at": first.isoformat(), "deadline": call.deadline.isoformat()},
                            *_deadline_clause(call))]


class BorderlineSentBeforeDeadline:
    name = "borderline_sent_before_deadline"
    scope = "submission"
    rule = "R06"

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        sub, call = ctx.submission, ctx.call
        if sub.on_time or not ctx.receipts or not sub.date_sent or sub.date_sent >= call.deadline:
            return []
        first = _first_arrival(ctx)
        return [FindingSpec(
            "borderline_sent_before_deadline",
            f"邮件 Date 头显示发送于 {_bj(call, sub.date_sent)}（截止前），但服务器收到时间为 {_bj(call, first)}；"
            "以服务器时间为准记为逾期，请处室人员复核",
            {"date_sent": sub.date_sent.isoformat(), "received_at": first.isoformat()}, *_deadline_clause(call))]


class UnknownSender:
    name = "unknown_sender"
    scope = "submission"
    rule = ""

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        sub, att = ctx.submission, ctx.attribution
        if not att or not sub.province or att.get("registered_sender") or att.get("method") in ("officer", "sender"):
            return []
        return [FindingSpec("unknown_sender", f"发件人 {sub.sender or '（无）'} 不在{sub.province}的登记发件地址中，"
                            f"省份由{_METHOD_ZH.get(att.get('method'), '其他信息')}推断，请复核并确认发件人",
                            {"sender": sub.sender, "method": att.get("method")})]


class ImportedTime:
    """time_from_received_header / time_set_by_operator: an imported mail's time was not the server's."""

    name = "imported_time"
    scope = "submission"
    rule = ""

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        out = []
        for r in ctx.receipts:
            when = _bj(ctx.call, r.received_at)
            if r.time_source == TimeSource.RECEIVED_HEADER:
                out.append(FindingSpec("time_from_received_header",
                                       f"{r.ref} 为人工导入邮件，到达时间取自收件服务器最上方的 Received 头：{when}",
                                       {"receipt": r.ref, "mailbox": r.mailbox}))
            elif r.time_source == TimeSource.OPERATOR:
                out.append(FindingSpec("time_set_by_operator", f"{r.ref} 为人工导入邮件，到达时间由操作人员指定：{when}",
                                       {"receipt": r.ref, "mailbox": r.mailbox}))
        return out
