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


_SUSPECT_ZH = {"dkim_signature_failed": "邮件带有该域名的DKIM签名但验证失败",
               "domain_authenticated_before": "此前来自该域名的邮件均通过认证",
               "dmarc_policy_reject": "该域名的DMARC策略要求拒收未认证邮件",
               "dmarc_policy_quarantine": "该域名的DMARC策略要求隔离未认证邮件"}


class SenderAuthentication:
    """sender_unauthenticated (info) / sender_authentication_failed (review): a registered From: address, but
    the mail is not authenticated (policy 8). Failed = there is a reason to think the address was forged."""

    name = "sender_authentication"
    scope = "submission"
    rule = ""

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        sub = ctx.submission
        if getattr(sub, "sender_trust", None) != "registered" or not sub.province:
            return []
        auth = getattr(sub, "sender_auth", None) or {}
        suspect = [s for s in auth.get("suspect") or [] if s in _SUSPECT_ZH]
        figures = {"sender": sub.sender, "dkim": [{k: e.get(k) for k in ("d", "result")} for e in auth.get("dkim") or []],
                   "suspect": suspect}
        if suspect:
            return [FindingSpec("sender_authentication_failed",
                                f"发件人 {sub.sender} 是{sub.province}的登记地址，但本邮件未通过发件人认证（"
                                f"{'；'.join(_SUSPECT_ZH[s] for s in suspect)}），可能是冒用该地址发送；"
                                "其材料不会替换已认证的报送，请核实后用 确认 命令处理", figures)]
        return [FindingSpec("sender_unauthenticated",
                            f"发件人 {sub.sender} 是{sub.province}的登记地址，但本邮件没有可验证的DKIM签名或收件服务器"
                            "认证结果（发件地址无法证明未被冒用）", figures)]


TIME_SKEW_MINUTES = 15


class ArrivalTimeConsistency:
    """arrival_time_inconsistent (review): the recorded arrival time contradicts the message's own headers by
    more than TIME_SKEW_MINUTES — earlier than a ``Received:`` hop or the ``Date:`` show the mail existed, or
    later than the receiving server's own (topmost) ``Received:`` stamp. Imported receipts are skipped (their
    time came from those headers)."""

    name = "arrival_time_inconsistent"
    scope = "submission"
    rule = "R06"

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        from datetime import datetime, timedelta

        skew = timedelta(minutes=TIME_SKEW_MINUTES)
        call, out = ctx.call, []
        date_sent = getattr(ctx.submission, "date_sent", None)
        for r in ctx.receipts:
            if r.time_source in (TimeSource.RECEIVED_HEADER, TimeSource.OPERATOR):
                continue
            hops = [datetime.fromisoformat(h["at"]) for h in (r.received_chain or []) if h.get("at")]
            evidence = [(h, "Received") for h in hops] + ([(date_sent, "Date")] if date_sent else [])
            if not evidence:
                continue
            latest, what = max(evidence, key=lambda x: x[0])
            figures = {"receipt": r.ref, "mailbox": r.mailbox, "received_at": r.received_at.isoformat(),
                       "skew_minutes": TIME_SKEW_MINUTES}
            if r.received_at < latest - skew:
                out.append(FindingSpec(
                    "arrival_time_inconsistent",
                    f"{r.ref} 登记的到达时间 {_bj(call, r.received_at)} 早于邮件自身 {what} 头所示时间 "
                    f"{_bj(call, latest)}（超过容差{TIME_SKEW_MINUTES}分钟）：到达时间可能被改动或服务器时钟有误，"
                    "请复核是否按时", figures | {"direction": "earlier", "header": what, "header_at": latest.isoformat()},
                    *_deadline_clause(call)))
            elif hops and r.received_at > hops[0] + skew:
                out.append(FindingSpec(
                    "arrival_time_inconsistent",
                    f"{r.ref} 登记的到达时间 {_bj(call, r.received_at)} 晚于收件服务器自己的 Received 头时间 "
                    f"{_bj(call, hops[0])}（超过容差{TIME_SKEW_MINUTES}分钟）：邮件可能曾被移动或重新投递，请复核",
                    figures | {"direction": "later", "header": "Received", "header_at": hops[0].isoformat()},
                    *_deadline_clause(call)))
        return out


class FoundOutsideInbox:
    """found_outside_inbox (info): the copy was found in another folder of the mailbox (e.g. 垃圾邮件)."""

    name = "found_outside_inbox"
    scope = "submission"
    rule = ""

    def check(self, ctx: SubmissionContext) -> list[FindingSpec]:
        return [FindingSpec("found_outside_inbox",
                            f"{r.ref} 在邮箱的「{r.imap_folder}」文件夹中收到（可能被邮件服务商判为垃圾邮件），已照常登记",
                            {"receipt": r.ref, "mailbox": r.mailbox, "folder": r.imap_folder})
                for r in ctx.receipts if r.imap_folder and r.imap_folder.upper() != "INBOX"]
