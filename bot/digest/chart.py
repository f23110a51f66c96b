"""The status chart: how many units are 已申报 / 逾期视为未申报 / 未申报 over time toward the deadline.

``status_series`` derives the curve from the register (a unit becomes filed at its first on-time
arrival, late at its first late one when it has no on-time one; an officer override counts from the
unit's first arrival, or from now). ``chart_frame`` lays the curve out once for every renderer:
``render_svg`` draws it for the web desk, ``bot.digest.chart_png`` as the PNG inlined in the digest mail
(mail clients drop SVG); ``render_bars_html`` draws the current split plus a bar per day as table cells,
which every mail client shows even with images off.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

COLORS = {"filed": "#1a7f37", "late": "#b42318", "not_filed": "#9ca3af"}
LABELS = {"filed": "已申报", "late": "逾期视为未申报", "not_filed": "未申报"}


@dataclass
class Point:
    at: datetime            # UTC
    filed: int
    late: int
    not_filed: int


def _became(row, now: datetime) -> tuple[str, datetime | None]:
    """(final status, when the unit reached it) for one register row."""
    firsts = [s.first_received_at for s in row.submissions]
    if row.status == "not_filed":
        return "not_filed", None
    if getattr(row, "override_reason", None):
        return row.status, min(firsts) if firsts else now
    want_on_time = row.status == "filed"
    times = [s.first_received_at for s in row.submissions if s.on_time == want_on_time]
    return row.status, min(times) if times else (min(firsts) if firsts else now)


def status_series(reg, call, now: datetime, *, start: datetime | None = None) -> list[Point]:
    """A step curve: one point per change, from ``start`` (default: a day before the first arrival, or the
    call's publication) to now."""
    events = sorted((t, s) for s, t in (_became(r, now) for r in reg.rows) if t is not None)
    total = len(reg.rows)
    if start is None:
        first = events[0][0] if events else now
        start = min(first - timedelta(days=1), now)
    pts = [Point(start, 0, 0, total)]
    f = l = 0
    for t, s in events:
        if t < start:
            t = start
        if s == "filed":
            f += 1
        else:
            l += 1
        pts.append(Point(t, f, l, total - f - l))
    end = max(now, pts[-1].at)
    horizon = max(call.deadline + timedelta(days=1), pts[-1].at + timedelta(hours=6))
    pts.append(Point(min(end, horizon), f, l, total - f - l))      # after the deadline the curve is flat
    return pts


@dataclass
class Frame:
    """Where everything of the chart goes on a ``width`` × ``height`` canvas, for every renderer (the web
    desk's SVG, the digest mail's PNG): the three stacked bands (filed at the bottom), the count and day
    ticks, the deadline line and the legend, all derived from one series."""
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bands: list[tuple[str, list[tuple[float, float]]]]   # (status key, polygon), drawn in this order
    y_ticks: list[tuple[int, float]]                     # (count, y)
    x_ticks: list[tuple[str, float]]                     # (MM-DD in Beijing time, x)
    deadline_x: float
    deadline_label: str
    legend: list[tuple[str, str]]                        # (status key, "已申报 12")
    title: str


def chart_frame(points: list[Point], call, *, width: int = 720, height: int = 260,
                margins: tuple[int, int, int, int] = (44, 16, 28, 40)) -> Frame:
    """Lay out the step curve of ``status_series``: margins are (left, right, top, bottom)."""
    left, right, top, bottom = margins
    t0 = points[0].at
    t1 = max(points[-1].at, call.deadline + timedelta(hours=12))
    span = max((t1 - t0).total_seconds(), 1)
    total = max(points[0].filed + points[0].late + points[0].not_filed, 1)
    x = lambda t: left + (width - left - right) * (t - t0).total_seconds() / span  # noqa: E731
    y = lambda n: top + (height - top - bottom) * (1 - n / total)                 # noqa: E731

    def band(lo_of, hi_of) -> list[tuple[float, float]]:
        upper, lower = [], []
        for i, p in enumerate(points):
            nxt = points[i + 1].at if i + 1 < len(points) else p.at
            upper += [(x(p.at), y(hi_of(p))), (x(nxt), y(hi_of(p)))]
            lower += [(x(p.at), y(lo_of(p))), (x(nxt), y(lo_of(p)))]
        return upper + lower[::-1]

    bands = [("filed", band(lambda p: 0, lambda p: p.filed)),
             ("late", band(lambda p: p.filed, lambda p: p.filed + p.late)),
             ("not_filed", band(lambda p: p.filed + p.late, lambda p: total))]
    y_ticks = [(n, y(n)) for n in range(0, total + 1, 8 if total > 16 else 4)]
    days = int(span // 86400) + 1
    step = max(1, days // 7)
    d0 = call.to_local(t0).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    x_ticks = []
    for i in range(0, days + 1, step):
        t = d0 + timedelta(days=i)
        if t.astimezone(t0.tzinfo) > t1:
            break
        x_ticks.append((f"{t:%m-%d}", x(t)))
    last = points[-1]
    return Frame(width, height, left, right, top, bottom, bands, y_ticks, x_ticks, x(call.deadline),
                 f"截止 {call.to_local(call.deadline):%m-%d %H:%M}",
                 [(k, f"{LABELS[k]} {getattr(last, k)}") for k in ("filed", "late", "not_filed")],
                 f"申报进度：已申报 {last.filed}，逾期视为未申报 {last.late}，未申报 {last.not_filed}")


def render_svg(points: list[Point], call, *, width: int = 720, height: int = 260) -> str:
    """Stacked step areas (filed at the bottom), the deadline as a dashed line, Beijing-time axis labels."""
    f = chart_frame(points, call, width=width, height=height)
    left, right, top, bottom = f.left, f.right, f.top, f.bottom
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="申报进度图" font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" font-size="12">',
           f'<title>{escape(f.title)}</title>',
           f'<rect x="{left}" y="{top}" width="{width - left - right}" height="{height - top - bottom}" fill="#f9fafb"/>']
    opacity = {"filed": "0.85", "late": "0.85", "not_filed": "0.35"}
    for key, poly in f.bands:
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in poly)
        out.append(f'<polygon points="{pts}" fill="{COLORS[key]}" fill-opacity="{opacity[key]}"/>')
    for n, yy in f.y_ticks:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#e5e7eb"/>'
                   f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#374151">{n}</text>')
    for label, xx in f.x_ticks:
        out.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{height - bottom}" y2="{height - bottom + 4}" stroke="#6b7280"/>'
                   f'<text x="{xx:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#374151">{label}</text>')
    dx = f.deadline_x
    out.append(f'<line x1="{dx:.1f}" x2="{dx:.1f}" y1="{top - 6}" y2="{height - bottom}" stroke="#111827" '
               f'stroke-dasharray="4 3"/><text x="{dx - 4:.1f}" y="{top - 10}" text-anchor="end" fill="#111827">'
               f'{f.deadline_label}</text>')
    lx = left
    for key, label in f.legend:
        out.append(f'<rect x="{lx}" y="{height - 16}" width="10" height="10" fill="{COLORS[key]}"/>'
                   f'<text x="{lx + 14}" y="{height - 7}" fill="#111827">{escape(label)}</text>')
        lx += 24 + 13 * len(label)
    out.append("</svg>")
    return "".join(out)


def render_bars_html(points: list[Point], call, *, days: int = 10) -> str:
    """For e-mail: today's split as one stacked bar, then the filed count at the end of each recent day."""
    last = points[-1]
    total = max(last.filed + last.late + last.not_filed, 1)
    cells = "".join(
        f'<td style="background:{COLORS[k]};width:{max(1, round(100 * getattr(last, k) / total))}%;height:14px;'
        f'font-size:0;line-height:0">&nbsp;</td>' for k in ("filed", "late", "not_filed") if getattr(last, k))
    legend = "　".join(f'<span style="color:{COLORS[k]}">■</span> {LABELS[k]} {getattr(last, k)}'
                      for k in ("filed", "late", "not_filed"))
    out = ['<table role="presentation" style="width:100%;max-width:560px;border-collapse:collapse;margin:6px 0">'
           f"<tr>{cells}</tr></table>", f'<p style="margin:2px 0 8px;font-size:13px">{legend}</p>']
    end = call.to_local(last.at).date()
    rows = []
    for i in range(days - 1, -1, -1):
        day = end - timedelta(days=i)
        upto = [p for p in points if call.to_local(p.at).date() <= day]
        if not upto:
            continue
        p = upto[-1]
        rows.append((day, p.filed, p.late))
    if len(rows) > 1:
        out.append('<table role="presentation" style="border-collapse:collapse;font-size:12px;margin:4px 0 10px">')
        for day, f, l in rows:
            w = round(200 * f / total)
            out.append(f'<tr><td style="padding:1px 6px 1px 0;white-space:nowrap">{day:%m-%d}</td>'
                       f'<td style="padding:1px 0"><div style="background:{COLORS["filed"]};width:{max(w, 1)}px;'
                       f'height:10px;display:inline-block"></div> {f}' + (f'（逾期 {l}）' if l else "") + "</td></tr>")
        out.append("</table>")
    return "".join(out)
