"""The digest e-mail's HTML part: inline styles only (mail clients drop <style>), UTF-8, escaped."""
from __future__ import annotations

from html import escape

from core.vocabulary import SEVERITY_ZH
from core.findings import code_zh
from bot.digest.data import DigestData, format_left
from bot.digest.text import HEALTH_ZH, bj, changes_lines, counts_line, health_line, mailbox_names, \
    not_filed_line

STATUS_COLOR = {"filed": "#1a7f37", "late": "#b42318", "not_filed": "#6b7280"}
SEV_COLOR = {"error": "#b42318", "review": "#b54708", "warning": "#8a6d00"}
TD = 'style="border:1px solid #d0d7de;padding:4px 6px;vertical-align:top"'
TH = 'style="border:1px solid #d0d7de;padding:4px 6px;background:#f3f4f6;text-align:left"'


def _p(text: str) -> str:
    return f'<p style="margin:6px 0">{escape(text)}</p>'


def render_html(d: DigestData) -> str:
    names = mailbox_names(d)
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
           f"<title>{escape(d.title)}</title></head>"
           '<body style="font-family:\'Microsoft YaHei\',\'PingFang SC\',\'Noto Sans CJK SC\',sans-serif;'
           'font-size:14px;color:#111">',
           f'<h2 style="font-size:18px;margin:0 0 8px">{escape(d.title)}（北京时间）</h2>',
           _p(f"截止时间：{bj(d, d.call.deadline, '%Y-%m-%d %H:%M')}前（{d.call.deadline_text}，"
              f"{format_left(d.time_left)}）；生成于 {bj(d, d.generated_at, '%Y-%m-%d %H:%M:%S')}"),
           f'<p style="margin:6px 0;font-weight:bold">{escape(counts_line(d))}</p>',
           '<h3 style="font-size:15px">收件监视</h3><ul>']
    for h in d.health:
        color = "#b42318" if h.state == "down" else "#111"
        out.append(f'<li style="color:{color}">{escape(health_line(d, h))}</li>')
    out.append("</ul>")
    ch = changes_lines(d)
    out.append(f'<h3 style="font-size:15px">{escape(ch[0])}</h3>')
    if len(ch) > 1:
        out.append("<ul>" + "".join(f"<li>{escape(c[2:])}</li>" for c in ch[1:]) + "</ul>")
    out.append(_p(not_filed_line(d)))
    out.append('<h3 style="font-size:15px">逐省情况</h3>'
               '<table style="border-collapse:collapse;font-size:13px"><tr>'
               f"<th {TH}>单位</th><th {TH}>状态</th>"
               + "".join(f"<th {TH}>{escape(names[k])}邮箱首次按时到达</th>" for k in names)
               + f"<th {TH}>A4页数</th><th {TH}>待处理问题</th><th {TH}>纸质版</th></tr>")
    for r in d.rows:
        probs = "<br>".join(
            f'<span style="color:{SEV_COLOR[f.severity]}">[{SEVERITY_ZH[f.severity]}] {escape(code_zh(f.code))}</span>'
            f'：{escape(f.message)}' for f in r.open) or "—"
        status = escape(r.status_zh) + (f"（逾期报送{r.late_submissions}份）" if r.late_submissions else "")
        out.append(f"<tr><td {TD}>{escape(r.province)}</td>"
                   f'<td {TD}><span style="color:{STATUS_COLOR.get(r.status, "#111")}">{status}</span></td>'
                   + "".join(f"<td {TD}>{escape(bj(d, r.arrivals.get(k)))}</td>" for k in names)
                   + f"<td {TD}>{r.pages if r.pages is not None else '—'}</td><td {TD}>{probs}</td>"
                   f"<td {TD}>{escape(r.paper or '未登记')}</td></tr>")
    out.append("</table>")
    if d.unidentified:
        out.append(f'<h3 style="font-size:15px">未识别来信（{len(d.unidentified)}封，待处室人员归属）</h3><ul>')
        for u in d.unidentified:
            late = "" if u.on_time else "（截止后到达）"
            out.append(f"<li>{escape(u.submission)} {escape(u.sender or '—')} 《{escape(u.subject[:60])}》 "
                       f"{escape(bj(d, u.first_received_at))}{late}</li>")
        out.append("</ul>")
    pend = d.register.processing.get("received", 0) + d.register.processing.get("retrying", 0) if d.register else 0
    out.append(_p(f"处理失败（shunted）的收件：{d.shunted}封。" +
                  (f"尚未处理完（含自动重试中）：{pend}封，登记可能少计。" if pend else "") + "登记表见附件（xlsx）。"))
    out.append(f'<p style="color:#6b7280;font-size:12px">收件监视状态：'
               f'{escape("；".join(HEALTH_ZH[h.state] for h in d.health))}。本邮件由申报收件系统自动发送，请勿回复。</p>')
    if d.audit_tip:
        from bot.digest.text import audit_line

        out.append(f'<p style="color:#888;font-size:12px">{escape(audit_line(d))}</p>')
    out.append("</body></html>")
    return "".join(out)
