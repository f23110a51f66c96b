"""The status chart as a PNG, for the digest mail (Outlook, WeCom mail and Gmail show no SVG).

The same layout as the web desk's SVG (``bot.digest.chart.chart_frame`` over ``status_series``), drawn with
Pillow at 640 × 320 px with 20 px labels: shown 100 % wide in a 400 px phone it stays legible (labels ≈ 12 px).
Chinese labels need a CJK font: Noto Sans CJK from the Debian package ``fonts-noto-cjk`` (scripts/install.sh
installs it with the runtime), else WenQuanYi / AR PL if present. Without any, the chart is still drawn, with
Latin labels and one logged warning (the counts are also written in the mail's text).
"""
from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot.digest.chart import COLORS, Point, chart_frame

log = logging.getLogger("shenbao.bot.digest")

WIDTH, HEIGHT, FONT_PX = 640, 320, 20
MARGINS = (52, 20, 40, 64)                  # left, right, top, bottom: room for 20 px labels and the legend
CJK_FONTS = (                               # (file, face name wanted inside a collection)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),     # fonts-noto-cjk
    ("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "WenQuanYi Zen Hei"),               # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN"),                    # fonts-arphic-uming
)
LATIN = {"已申报": "filed", "逾期视为未申报": "late", "未申报": "not filed", "截止": "deadline"}
BG, AXIS, INK = "#f9fafb", "#374151", "#111827"
FADED = {"not_filed": "#d1d5db"}             # lighter than the SVG legend grey: the bands stay apart


@functools.cache
def cjk_font(size: int) -> ImageFont.FreeTypeFont | None:
    """The first CJK font installed (the Simplified Chinese face of a collection), or None."""
    for path, face in CJK_FONTS:
        if not Path(path).is_file():
            continue
        for index in range(12):
            try:
                f = ImageFont.truetype(path, size, index=index)
            except OSError:
                break
            if f.getname()[0] == face:
                return f
        return ImageFont.truetype(path, size)
    log.warning("no CJK font found (%s): the digest chart is drawn with Latin labels; install the Debian "
                "package fonts-noto-cjk", ", ".join(p for p, _ in CJK_FONTS[:1]))
    return None


def _latin(text: str) -> str:
    for zh, en in sorted(LATIN.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(zh, en)
    return text


def render_png(points: list[Point], call, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart as PNG bytes: stacked step areas, count grid, day ticks, dashed deadline, legend."""
    fr = chart_frame(points, call, width=width, height=height, margins=MARGINS)
    font = cjk_font(FONT_PX)
    label = (lambda s: s) if font else _latin
    font = font or ImageFont.load_default(FONT_PX)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([fr.left, fr.top, width - fr.right, height - fr.bottom], fill=BG)
    for key, poly in fr.bands:
        d.polygon(poly, fill=FADED.get(key, COLORS[key]))
    for n, y in fr.y_ticks:                                         # over the bands, as the SVG's see-through grey
        d.line([(fr.left, y), (width - fr.right, y)], fill="white", width=1)
        d.text((fr.left - 8, y), str(n), font=font, fill=AXIS, anchor="rm")
    base = height - fr.bottom
    gap = (fr.x_ticks[1][1] - fr.x_ticks[0][1]) if len(fr.x_ticks) > 1 else width
    room = d.textlength("00-00", font=font) + 12
    every = max(1, -(-int(room) // max(int(gap), 1)))               # label every k-th day so labels never touch
    for i, (text, x) in enumerate(fr.x_ticks):
        d.line([(x, base), (x, base + 5)], fill=AXIS, width=1)
        half = d.textlength(text, font=font) / 2
        if i % every == 0 and x + half <= width and x - half >= 0:
            d.text((x, base + 7), text, font=font, fill=AXIS, anchor="mt")
    dx = fr.deadline_x
    for y0 in range(fr.top - 8, base, 9):                            # dashed, as in the SVG
        d.line([(dx, y0), (dx, min(y0 + 5, base))], fill=INK, width=2)
    d.text((dx - 6, fr.top - 10), label(fr.deadline_label), font=font, fill=INK, anchor="rs")
    lx, ly = fr.left, height - 14
    for key, text in fr.legend:
        text = label(text)
        d.rectangle([lx, ly - 14, lx + 14, ly], fill=FADED.get(key, COLORS[key]), outline=AXIS if key in FADED else None)
        d.text((lx + 20, ly), text, font=font, fill=INK, anchor="ls")
        lx += 20 + int(d.textlength(text, font=font)) + 22
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
