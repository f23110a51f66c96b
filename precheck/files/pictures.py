"""Photos and pictures as pages: HEIC/HEIF (the iPhone's default, through ``pillow-heif``, whose wheel bundles
libheif and libde265), and how many pages a picture counts.

Policy: a multi-page TIFF is a scanned document, one page per frame; every other picture is one page,
whatever it holds besides its main image (the frames of an animated GIF/WebP/PNG, the burst or depth
images of a HEIC).

    kind = heif_brand(data)        # "heic" / "avif" / None
    facts = picture_facts(data)    # {"fmt", "frames", "pages", "size", "dpi", "note"}
"""
from __future__ import annotations

import io

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
_registered = False


def register_heif() -> None:
    """Let Pillow open HEIC/HEIF (idempotent)."""
    global _registered
    if not _registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _registered = True


def heif_brand(data: bytes) -> str | None:
    if data[4:8] != b"ftyp":
        return None
    brands = {data[8:12]} | {data[i:i + 4] for i in range(16, min(len(data), 8 + int.from_bytes(data[:4], "big")), 4)}
    if brands & HEIF_BRANDS:
        return "heic"
    if brands & AVIF_BRANDS:
        return "avif"
    return None


def picture_facts(data: bytes) -> dict:
    """Frames and the pages they count for; the size in pixels and the resolution when the file has one."""
    from PIL import Image

    register_heif()
    with Image.open(io.BytesIO(data)) as im:
        fmt = (im.format or "").upper()
        frames = int(getattr(im, "n_frames", 1) or 1)
        dpi = im.info.get("dpi", (0, 0))
        dpi = float(dpi[0] if isinstance(dpi, tuple) else dpi or 0)
        size = im.size
    pages = frames if fmt == "TIFF" else 1
    note = ""
    if frames > 1 and pages == 1:
        note = ("动图共 {n} 帧，按 1 张图片计" if fmt in ("GIF", "WEBP", "PNG") else "图片文件含 {n} 幅图像，按主图 1 张计")
        note = note.format(n=frames)
    return {"fmt": fmt.lower(), "frames": frames, "pages": pages, "size": size, "dpi": dpi, "note": note}
