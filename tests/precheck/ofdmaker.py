"""OFD packages made in code (GB/T 33190 structure as real exporters write it): text pages, scanned pages
(one picture covering the page), A3 pages, templates, a red seal drawn as a path."""
from __future__ import annotations

import io
import zipfile

NS = "http://www.ofdspec.org/2016"


def _xml(body: str) -> bytes:
    return ('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def make_ofd(pages: list[dict], *, default_box=(210, 297), title: str = "", entity_bomb: bool = False) -> bytes:
    """``pages``: dicts with ``box`` (w, h mm; None = document default), ``lines`` (text rows), ``image``
    (PNG/JPEG bytes covering the page), ``seal`` (draw a red ring of 40 mm)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", _xml(
            f'<ofd:OFD xmlns:ofd="{NS}" DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo>'
            f'<ofd:DocID>test</ofd:DocID><ofd:Title>{title}</ofd:Title><ofd:Creator>shenbao tests</ofd:Creator>'
            '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'))
        media, page_refs = [], []
        for i, p in enumerate(pages):
            page_refs.append(f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>')
            if p.get("image"):
                media.append(f'<ofd:MultiMedia ID="{500 + i}" Type="Image" Format="PNG">'
                             f'<ofd:MediaFile>scan_{i}.png</ofd:MediaFile></ofd:MultiMedia>')
                z.writestr(f"Doc_0/Res/scan_{i}.png", p["image"])
        z.writestr("Doc_0/Document.xml", _xml(
            f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea>'
            f'<ofd:PhysicalBox>0 0 {default_box[0]} {default_box[1]}</ofd:PhysicalBox></ofd:PageArea>'
            '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>'
            f'</ofd:CommonData><ofd:Pages>{"".join(page_refs)}</ofd:Pages></ofd:Document>'))
        z.writestr("Doc_0/PublicRes.xml", _xml(
            f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体"/></ofd:Fonts></ofd:Res>'))
        z.writestr("Doc_0/DocumentRes.xml", _xml(
            f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:MultiMedias>{"".join(media)}</ofd:MultiMedias></ofd:Res>'))
        for i, p in enumerate(pages):
            box = p.get("box")
            area = f'<ofd:Area><ofd:PhysicalBox>0 0 {box[0]} {box[1]}</ofd:PhysicalBox></ofd:Area>' if box else ""
            w, h = box or default_box
            objs = []
            if p.get("image"):
                objs.append(f'<ofd:ImageObject ID="{600 + i}" ResourceID="{500 + i}" Boundary="0 0 {w} {h}" '
                            f'CTM="{w} 0 0 {h} 0 0"/>')
            for k, line in enumerate(p.get("lines", [])):
                y = 30 + k * 8
                objs.append(f'<ofd:TextObject ID="{700 + k}" Boundary="25 {y} 160 8" Font="2" Size="4.2">'
                            f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="5">{line}</ofd:TextCode>'
                            '</ofd:TextObject>')
            if p.get("seal"):
                # a 40 mm red ring centred at (150, 240): two half arcs, stroked 1.5 mm wide
                objs.append('<ofd:PathObject ID="900" Boundary="130 220 40 40" LineWidth="1.5">'
                            '<ofd:StrokeColor Value="230 0 0"/>'
                            '<ofd:AbbreviatedData>M 2 20 A 18 18 0 1 1 38 20 A 18 18 0 1 1 2 20 C'
                            '</ofd:AbbreviatedData></ofd:PathObject>')
            bomb = ('<!DOCTYPE lolz [<!ENTITY lol "lolololololololololo"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
                    '&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                    if entity_bomb and i == 0 else "")
            text = ("&lol3;" if bomb else "")
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", ('<?xml version="1.0" encoding="UTF-8"?>\n' + bomb +
                       f'<ofd:Page xmlns:ofd="{NS}">{area}<ofd:Content><ofd:Layer ID="{800 + i}">'
                       f'{"".join(objs)}{text}</ofd:Layer></ofd:Content></ofd:Page>').encode("utf-8"))
    return buf.getvalue()


def scan_png(w_mm=210, h_mm=297, dpi=100, text="扫描件") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (int(w_mm / 25.4 * dpi), int(h_mm / 25.4 * dpi)), (250, 250, 246))
    d = ImageDraw.Draw(img)
    d.rectangle([40, 40, img.width - 40, 80], fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()
