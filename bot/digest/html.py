"""The digest e-mail's HTML part, written for a phone first: one column at most 640 px wide, the picture of
progress at the top (the status chart as an inline PNG referenced by ``cid:`` — mail clients drop SVG and
scripts — with alt text, and today's split as table-cell bars, shown even with images off), units with
problems first as short blocks, not-filed units as one line. Inline styles only (mail clients drop <style>),
UTF-8, escaped."""
from __future__ import annotations

from html import escape

from core.vocabulary import SEVERITY_ZH
from core.findings import code_zh
from bot.digest.chart import render_bars_html
from bot.digest.data import DigestData, DigestRow, format_left
from bot.digest.text import HEALTH_ZH, bj, changes_lines, counts_line, health_line, mailbox_names, \
    not_filed_line

STATUS_COLOR = {"filed": "#1a7f37", "late": "#b42318", "not_filed": "#6b7280"}
SEV_COLOR = {"error": "#b42318", "review": "#b54708", "warning": "#8a6d00"}
H3 = 'style="font-size:15px;margin:16px 0 6px;border-bottom:1px solid #d0d7de;padding-bottom:2px"'
TD = 'style="border:1px solid #d0d7de;padding:4px 6px;vertical-align:top"'
TH = 'style="border:1px solid #d0d7de;padding:4px 6px;background:#f3f4f6;text-align:left"'


def _p(text: str, style: str = "margin:6px 0") -> str:
    return f'<p style="{style}">{escape(text)}</p>'


def _unit(d: DigestData, r: DigestRow, names: dict[str, str]) -> str:
    color = STATUS_COLOR.get(r.status, "#111")
    status = escape(r.status_shown) + (f"（逾期报送{r.late_submissions}份）" if r.late_submissions else "")
    arr = " · ".join(f"{escape(names[k])} {escape(bj(d, r.arrivals.get(k)))}" for k in names)
    pages = f"{r.pages}页" if r.pages is not None else "—页"
    paper = f"纸质版 {r.paper}" if r.paper else ("纸质版未登记" if r.status == "filed" else "")
    out = [f'<div style="border:1px solid #d0d7de;border-left:4px solid {color};border-radius:4px;'
           f'padding:6px 8px;margin:6px 0">',
           f'<div><b>{escape(r.province)}</b> <span style="color:{color};font-weight:bold">{status}</span></div>',
           f'<div style="font-size:12px;color:#374151">{arr} · {pages}{" · " + escape(paper) if paper else ""}</div>']
    if r.override_reason:
        out.append(f'<div style="font-size:13px;background:#fff7e6;padding:2px 4px;margin-top:3px">人工认定：'
                   f'{escape(r.override_reason)}</div>')
    for f in r.open:
        out.append(f'<div style="font-size:13px;margin-top:3px"><span style="color:{SEV_COLOR[f.severity]}">'
                   f'[{SEVERITY_ZH[f.severity]}] {escape(code_zh(f.code))}</span>：{escape(f.message)}</div>')
    out.append("</div>")
    return "".join(out)


def chart_img(d: DigestData, src: str) -> str:
    """The ``<img>`` of the status chart (``src``: ``cid:…`` in the mail, a file name next to the saved HTML)."""
    c = d.counts
    alt = (f"申报进度图：已申报 {c['filed']}，逾期视为未申报 {c['late']}，未申报 {c['not_filed']}"
           f"（截止 {bj(d, d.call.deadline, '%m-%d %H:%M')}）")
    return (f'<img src="{escape(src)}" width="560" alt="{escape(alt)}" style="display:block;width:100%;'
            'max-width:560px;height:auto;border:0;margin:6px 0">')


def render_html(d: DigestData, *, chart_src: str | None = None) -> str:
    """The mail's HTML; with ``chart_src`` the status chart image is shown above the bars (then the bars
    keep today's split only: the chart shows the days)."""
    names = mailbox_names(d)
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{escape(d.title)}</title></head>"
           '<body style="margin:0;padding:0;background:#fff">'
           '<div style="max-width:640px;margin:0 auto;padding:8px 10px;font-family:\'Microsoft YaHei\',\'PingFang SC\','
           '\'Noto Sans CJK SC\',sans-serif;font-size:14px;line-height:1.5;color:#111">',
           f'<h2 style="font-size:18px;margin:0 0 6px">{escape(d.title)}（北京时间）</h2>',
           _p(f"截止时间：{bj(d, d.call.deadline, '%Y-%m-%d %H:%M')}前（{d.call.deadline_text}，"
              f"{format_left(d.time_left)}）；生成于 {bj(d, d.generated_at, '%Y-%m-%d %H:%M:%S')}"),
           f'<p style="margin:6px 0;font-weight:bold">{escape(counts_line(d))}</p>',
           chart_img(d, chart_src) if chart_src else "",
           render_bars_html(d.series, d.call, days=0 if chart_src else 10)]
    out.append(_p(not_filed_line(d), "margin:8px 0;padding:6px 8px;background:#f3f4f6;border-radius:4px"))
    ch = changes_lines(d)
    out.append(f'<h3 {H3}>{escape(ch[0])}</h3>')
    if len(ch) > 1:
        out.append('<ul style="margin:4px 0;padding-left:20px">' + "".join(f"<li>{escape(c[2:])}</li>" for c in ch[1:])
                   + "</ul>")
    ordered = d.ordered()
    problems = [r for r in ordered if r.has_problem]
    clean = [r for r in ordered if not r.has_problem]
    if problems:
        out.append(f'<h3 {H3}>需要关注（{len(problems)}个单位：逾期、错误或待复核）</h3>')
        out += [_unit(d, r, names) for r in problems]
    if clean:
        out.append(f'<h3 {H3}>已申报（{len(clean)}个单位）</h3>')
        out += [_unit(d, r, names) for r in clean]
    if d.unidentified:
        out.append(f'<h3 {H3}>未识别来信（{len(d.unidentified)}封，待处室人员归属）</h3><ul style="padding-left:20px">')
        for u in d.unidentified:
            late = "" if u.on_time else "（截止后到达）"
            out.append(f"<li>{escape(u.submission)} {escape(u.sender or '—')} 《{escape(u.subject[:60])}》 "
                       f"{escape(bj(d, u.first_received_at))}{late}</li>")
        out.append("</ul>")
    out.append(f'<h3 {H3}>收件监视</h3><table style="border-collapse:collapse;font-size:13px;width:100%">')
    for h in d.health:
        color = "#b42318" if h.state == "down" else "#111"
        out.append(f'<tr><td {TD}><span style="color:{color}">{escape(health_line(d, h))}</span></td></tr>')
    out.append("</table>")
    pend = d.register.processing.get("received", 0) + d.register.processing.get("retrying", 0) if d.register else 0
    out.append(_p(f"处理失败（shunted）的收件：{d.shunted}封。" +
                  (f"尚未处理完（含自动重试中）：{pend}封，登记可能少计。" if pend else "") +
                  "完整登记表见附件（xlsx，A4横向打印）。"))
    out.append(f'<p style="color:#6b7280;font-size:12px">收件监视状态：'
               f'{escape("；".join(HEALTH_ZH[h.state] for h in d.health))}。本邮件由申报收件系统自动发送，请勿回复。</p>')
    if d.audit_tip:
        from bot.digest.text import audit_line

        out.append(f'<p style="color:#888;font-size:12px;word-break:break-all">{escape(audit_line(d))}</p>')
    out.append("</div></body></html>")
    return "".join(out)
