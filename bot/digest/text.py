"""Plain-text renderings of a digest: the e-mail's text/plain part and the chat version (≤ 4096 per message)."""
from __future__ import annotations

from datetime import datetime

from bot.chunks import split_lines
from core.vocabulary import SEVERITY_ZH
from core.findings import code_zh
from bot.digest.data import DigestData, DigestRow, MailboxHealth, format_left

CHAT_LIMIT = 4096
HEALTH_ZH = {"ok": "正常", "down": "中断", "unwatched": "未配置IMAP监视"}


def bj(d: DigestData, dt: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    return d.call.to_local(dt).strftime(fmt) if dt else "—"


def mailbox_names(d: DigestData) -> dict[str, str]:
    return {m.key: m.org.replace("社会保障司", "").replace("人力资源社会保障部就业促进司", "人社部") or m.key
            for m in d.call.mailboxes}


def health_line(d: DigestData, h: MailboxHealth) -> str:
    s = f"{h.label}：{HEALTH_ZH[h.state]}"
    if h.last_ok_at:
        s += f"（最近成功 {bj(d, h.last_ok_at, '%m-%d %H:%M:%S')}）"
    if h.state == "down" and h.last_error:
        s += f"，错误：{h.last_error[:120]}"
    return s


def counts_line(d: DigestData) -> str:
    c = d.counts
    line = (f"已申报 {c['filed']} · 逾期视为未申报 {c['late']} · 未申报 {c['not_filed']} · "
            f"未识别来信 {c['unidentified']} · 处理失败 {c['shunted']}")
    p = d.register.processing if d.register is not None else {}
    pending = p.get("received", 0) + p.get("retrying", 0)
    if pending:
        line += f" · 尚未处理完 {pending}（待重试 {p.get('retrying', 0)}；登记可能少计）"
    return line


def header_lines(d: DigestData) -> list[str]:
    lines = [d.title + "（北京时间）",
             f"截止时间：{bj(d, d.call.deadline, '%Y-%m-%d %H:%M')}前（{d.call.deadline_text}，{format_left(d.time_left)}）",
             f"生成于 {bj(d, d.generated_at, '%Y-%m-%d %H:%M:%S')}" +
             ("（补发：计划时间已过）" if (d.generated_at - d.slot_at).total_seconds() > 600 else ""),
             counts_line(d)]
    return lines


def row_text(d: DigestData, r: DigestRow) -> str:
    names = mailbox_names(d)
    arr = " / ".join(f"{names[k]} {bj(d, v)}" for k, v in r.arrivals.items())
    pages = f"{r.pages}页" if r.pages is not None else "—页"
    probs = " ".join(f"{SEVERITY_ZH[s]}{r.count(s)}" for s in ("error", "review", "warning") if r.count(s))
    paper = f"纸质版 {r.paper}" if r.paper else ("纸质版未登记" if r.status == "filed" else "纸质版—")
    late = f"，逾期报送{r.late_submissions}份" if r.late_submissions else ""
    return f"{r.province}｜{r.status_shown}{late}｜{arr}｜{pages}｜{probs or '无问题'}｜{paper}"


def changes_lines(d: DigestData) -> list[str]:
    if d.since is None:
        return ["自上次汇总以来的变化：首次汇总，无比较基准。"]
    head = f"自上次汇总（{bj(d, d.since, '%m-%d %H:%M')}）以来的变化："
    return [head] + ([f"- {c}" for c in d.changes] or ["- 无变化"])


def not_filed_line(d: DigestData) -> str:
    if not d.not_filed:
        return "尚未申报：无。"
    return f"尚未申报（{len(d.not_filed)}个，{format_left(d.time_left)}）：" + "、".join(d.not_filed)


def render_text(d: DigestData) -> str:
    """The text/plain part of the digest e-mail (complete: every unit, every open finding)."""
    lines = header_lines(d) + ["", "收件监视："] + [f"- {health_line(d, h)}" for h in d.health] + [""]
    lines += changes_lines(d) + ["", not_filed_line(d), "",
                                 "已报送单位（有问题的在前；到达时间为各邮箱首次按时到达，北京时间）："]
    for r in d.ordered():
        lines.append(row_text(d, r))
        if r.override_reason:
            lines.append(f"    [人工认定] {r.override_reason}")
        lines += [f"    [{SEVERITY_ZH[f.severity]}] {code_zh(f.code)}：{f.message}" for f in r.open]
    if d.unidentified:
        lines += ["", f"未识别来信（{len(d.unidentified)}封，待处室人员归属）："]
        for u in d.unidentified:
            lines.append(f"- {u.submission} {u.sender or '—'} 《{u.subject[:40]}》 {bj(d, u.first_received_at)}"
                         + ("" if u.on_time else "（截止后到达）"))
    lines += ["", f"登记表见附件（xlsx）。如需某省的证据包：shenbao evidence 省份 -o 文件.zip"]
    if d.audit_tip:
        lines.append(audit_line(d))
    return "\n".join(lines)


def audit_line(d: DigestData) -> str:
    n, h = d.audit_tip
    return f"审计日志：共 {n} 条，最新哈希 {h}（请保留本邮件；shenbao audit verify 可核对）"


def render_chat(d: DigestData) -> str:
    """The chat version: the same facts, compact; units without anything to say are only counted."""
    lines = header_lines(d) + ["", "收件监视：" + "；".join(f"{h.label.split()[0]}{HEALTH_ZH[h.state]}" for h in d.health)]
    lines += [""] + changes_lines(d) + ["", not_filed_line(d), ""]
    problem_rows = [r for r in d.ordered() if r.open or r.status == "late" or r.override_reason]
    clean = [r.province for r in d.ordered() if r.status == "filed" and not r.open and not r.override_reason]
    if clean:
        lines.append(f"已申报且无问题（{len(clean)}）：" + "、".join(clean))
    if problem_rows:
        lines.append("有问题的单位：")
        for r in problem_rows:
            lines.append(row_text(d, r))
            lines.append("    " + "；".join(f"{SEVERITY_ZH[f.severity]}:{code_zh(f.code)}" for f in r.open))
    if d.unidentified:
        lines.append(f"未识别来信 {len(d.unidentified)} 封：" + "、".join(u.submission for u in d.unidentified))
    return "\n".join(lines)


def split_chat(text: str, limit: int = CHAT_LIMIT) -> list[str]:
    """Split at paragraph, then line boundaries so each part ≤ ``limit``; parts are numbered (1/3)."""
    if len(text) <= limit:
        return [text]
    parts = split_lines(text, limit - 12)       # room for the "（1/3）\n" marker
    return [f"（{i}/{len(parts)}）\n{p}" for i, p in enumerate(parts, 1)]
