"""Find the Noto CJK fonts (Debian ``fonts-noto-cjk``) at run time and hand out Pillow fonts."""
from __future__ import annotations

import functools
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/noto-cjk"),
    Path("/usr/share/fonts/google-noto-cjk"),
    Path("/usr/local/share/fonts"),
    Path("/System/Library/Fonts"),
)
FILES = {
    "serif": "NotoSerifCJK-Regular.ttc",
    "serif-bold": "NotoSerifCJK-Bold.ttc",
    "sans": "NotoSansCJK-Regular.ttc",
    "sans-bold": "NotoSansCJK-Bold.ttc",
}


class FontMissing(RuntimeError):
    """fonts-noto-cjk is not installed; the message says how to install it."""


@functools.cache
def font_path(style: str = "serif") -> Path:
    wanted = FILES[style]
    fallbacks = [wanted, FILES["serif"], FILES["sans"]]
    for name in fallbacks:
        for d in FONT_DIRS:
            p = d / name
            if p.is_file():
                return p
    for d in FONT_DIRS:  # any CJK collection, whatever its directory layout
        if d.is_dir():
            for p in sorted(d.rglob("Noto*CJK*.tt[cf]")):
                return p
    raise FontMissing("No Noto CJK font found; install the Debian package fonts-noto-cjk")


@functools.cache
def _sc_index(path: Path) -> int:
    """Index of the Simplified Chinese face inside a .ttc collection (JP comes first in Noto's)."""
    for i in range(10):
        try:
            f = ImageFont.truetype(str(path), 12, index=i)
        except OSError:
            break
        if f.getname()[0].endswith(" SC"):
            return i
    return 0


@functools.cache
def font(size: int, style: str = "serif") -> ImageFont.FreeTypeFont:
    p = font_path(style)
    return ImageFont.truetype(str(p), size, index=_sc_index(p))
