"""OFD (GB/T 33190-2016, China's fixed-layout format): pages, sizes in mm, text, images, signatures.

An OFD is a zip of XML: ``OFD.xml`` → ``DocBody/DocRoot`` (``Document.xml``) → ``Pages/Page@BaseLoc``
(each page's ``Content.xml``); sizes are ``PhysicalBox`` in millimetres (the page's own ``Area``, else the
document's ``CommonData/PageArea``); text is in ``TextObject/TextCode``; pictures are ``ImageObject``
referring to ``MultiMedia`` resources; template pages (``TemplatePage``) are drawn under/over a page;
signatures are listed in ``Signatures.xml`` (``ofd_sign``).

Neither ``easyofd`` (pulls PyMuPDF and onnxruntime; its PDF export hung in a reportlab font search on a real
invoice) nor ``ofdparser`` (fails at import without ``simsun.ttc`` in the working directory, writes into
it) fitted a sandboxed reader, so this is a small reader on lxml with entity expansion and network off.

    doc = read_ofd(data)      # OfdDocument: pages (w_mm, h_mm, text, images), signatures, info, warnings
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from precheck.files.problems import FileProblem

MAX_PAGES = 3000
MAX_XML = 32 * 1024 * 1024          # one XML part
MAX_TEXT = 200_000                  # characters kept per document
DEFAULT_BOX = (0.0, 0.0, 210.0, 297.0)


@dataclass
class OfdImage:
    resource: str          # path of the media file inside the package
    fmt: str               # PNG / JPEG / JB2 / BMP / TIFF / GIF
    box: tuple[float, float, float, float]   # x, y, w, h in mm on the page (CTM applied)


@dataclass
class OfdPage:
    index: int
    w_mm: float
    h_mm: float
    text: str = ""
    text_objects: int = 0
    images: list[OfdImage] = field(default_factory=list)
    paths: int = 0
    content_path: str = ""
    template_paths: list[str] = field(default_factory=list)

    @property
    def image_cover(self) -> float:
        """The largest picture's share of the page area (a scanned page is one picture covering it)."""
        area = max(self.w_mm * self.h_mm, 1e-6)
        return max((min(i.box[2] * i.box[3] / area, 1.0) for i in self.images), default=0.0)


@dataclass
class OfdDocument:
    pages: list[OfdPage]
    info: dict
    signatures: list = field(default_factory=list)     # ofd_sign.OfdSignature
    attachments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: int = 1
    signatures_path: str | None = None
    doc_root: str = ""
    page_ids: dict[str, int] = field(default_factory=dict)      # Page@ID -> 0-based index


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, recover=True)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def child(el, name: str):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def descendants(el, name: str):
    return [c for c in el.iter() if _local(c.tag) == name]


def text_of(el) -> str:
    return (el.text or "").strip() if el is not None else ""


class Package:
    """The zip, read with caps; paths resolved the OFD way (absolute from the root, else relative)."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise FileProblem("corrupt", "OFD 文件已损坏（不是有效的 OFD 压缩包）", str(exc)) from exc
        self.names = {n.lstrip("/"): n for n in self.zf.namelist()}
        self.lower = {n.lower(): n for n in self.names}

    def resolve(self, ref: str, base_dir: str = "") -> str:
        ref = (ref or "").strip().replace("\\", "/")
        path = ref.lstrip("/") if ref.startswith("/") else posixpath.join(base_dir, ref)
        path = posixpath.normpath(path).lstrip("/")
        if path in self.names:
            return path
        return self.lower.get(path.lower(), path)

    def exists(self, path: str) -> bool:
        return path in self.names

    def read(self, path: str, cap: int = MAX_XML) -> bytes:
        name = self.names.get(path)
        if name is None:
            raise KeyError(path)
        info = self.zf.getinfo(name)
        if info.flag_bits & 0x1:
            raise FileProblem("encrypted", "OFD 文件已加密（需要密码），无法读取", "zip encryption in OFD")
        if info.file_size > cap:
            raise FileProblem("over_limit", f"OFD 文件中的「{posixpath.basename(path)}」超过 {cap >> 20} MB 上限",
                              f"{path}: {info.file_size} bytes")
        with self.zf.open(info) as fh:
            blob = fh.read(cap + 1)
        if len(blob) > cap:
            raise FileProblem("over_limit", f"OFD 文件中的「{posixpath.basename(path)}」超过 {cap >> 20} MB 上限", path)
        return blob

    def xml(self, path: str):
        from lxml import etree

        blob = self.read(path)
        try:
            root = etree.fromstring(blob.lstrip(b"\xef\xbb\xbf").lstrip(), _parser())
        except etree.XMLSyntaxError as exc:
            raise FileProblem("corrupt", f"OFD 文件中的「{posixpath.basename(path)}」XML 结构损坏", str(exc)) from exc
        if root is None:
            raise FileProblem("corrupt", f"OFD 文件中的「{posixpath.basename(path)}」是空的", path)
        return root


def _floats(text: str, n: int) -> tuple[float, ...] | None:
    try:
        vals = [float(v) for v in (text or "").replace(",", " ").split()]
    except ValueError:
        return None
    return tuple(vals[:n]) if len(vals) >= n else None


def physical_box(area) -> tuple[float, float, float, float] | None:
    if area is None:
        return None
    box = _floats(text_of(child(area, "PhysicalBox")), 4)
    if box is None or not all(abs(v) < 100_000 for v in box) or box[2] <= 0 or box[3] <= 0:
        return None
    return box


def read_ofd(data: bytes, *, max_pages: int = MAX_PAGES) -> OfdDocument:
    """Read the first document of an OFD package. Raises :class:`FileProblem` (Chinese) when it cannot."""
    pkg = Package(data)
    if not pkg.exists("OFD.xml"):
        alt = pkg.resolve("OFD.xml")
        if not pkg.exists(alt):
            raise FileProblem("corrupt", "OFD 文件缺少入口文件 OFD.xml", "no OFD.xml")
    root = pkg.xml(pkg.resolve("OFD.xml"))
    bodies = descendants(root, "DocBody")
    if not bodies:
        raise FileProblem("corrupt", "OFD 文件中没有文档（OFD.xml 缺少 DocBody）", "no DocBody")
    body = bodies[0]
    info = _doc_info(child(body, "DocInfo"))
    doc_root = pkg.resolve(text_of(child(body, "DocRoot")))
    if not pkg.exists(doc_root):
        raise FileProblem("corrupt", "OFD 文件缺少文档主体（Document.xml）", f"DocRoot {doc_root!r} missing")
    sig_ref = text_of(child(body, "Signatures"))
    doc = _read_document(pkg, doc_root, max_pages)
    doc.info = info
    doc.documents = len(bodies)
    doc.doc_root = doc_root
    if len(bodies) > 1:
        doc.warnings.append(f"OFD 文件包含 {len(bodies)} 个文档，只读取了第一个")
    if sig_ref:
        doc.signatures_path = pkg.resolve(sig_ref)
        try:
            from precheck.files.ofd_sign import read_signatures

            doc.signatures = read_signatures(pkg, doc.signatures_path, doc)
        except FileProblem as exc:
            doc.warnings.append(f"电子签章信息无法读取：{exc.problem.message}")
    return doc


def _doc_info(el) -> dict:
    if el is None:
        return {}
    out = {}
    for key in ("DocID", "Title", "Author", "Subject", "Abstract", "CreationDate", "ModDate", "Creator",
                "CreatorVersion", "DocUsage"):
        v = text_of(child(el, key))
        if v:
            out[key] = v[:300]
    customs = child(el, "CustomDatas")
    if customs is not None:
        out["custom"] = {c.get("Name", "")[:80]: text_of(c)[:300] for c in children(customs, "CustomData")[:50]}
    return out


class _Resources:
    """MultiMedia id → (package path, format), from PublicRes, DocumentRes and page resources."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.media: dict[str, tuple[str, str]] = {}

    def load(self, path: str) -> None:
        if not path or not self.pkg.exists(path):
            return
        try:
            root = self.pkg.xml(path)
        except FileProblem:
            return
        base = posixpath.join(posixpath.dirname(path), root.get("BaseLoc", "") or "")
        for mm in descendants(root, "MultiMedia"):
            f = text_of(child(mm, "MediaFile"))
            if mm.get("ID") and f:
                self.media[mm.get("ID")] = (self.pkg.resolve(f, base), (mm.get("Format") or "").upper())


def _read_document(pkg: Package, doc_path: str, max_pages: int) -> OfdDocument:
    root = pkg.xml(doc_path)
    base = posixpath.dirname(doc_path)
    common = child(root, "CommonData")
    default_box = physical_box(child(common, "PageArea")) if common is not None else None
    res = _Resources(pkg)
    templates: dict[str, str] = {}
    if common is not None:
        for key in ("PublicRes", "DocumentRes"):
            for r in children(common, key):
                res.load(pkg.resolve(text_of(r), base))
        for t in children(common, "TemplatePage"):
            if t.get("ID") and t.get("BaseLoc"):
                templates[t.get("ID")] = pkg.resolve(t.get("BaseLoc"), base)
    pages_el = child(root, "Pages")
    refs = children(pages_el, "Page") if pages_el is not None else []
    warnings: list[str] = []
    if not refs:
        raise FileProblem("corrupt", "OFD 文件没有页面", "no Pages/Page")
    if len(refs) > max_pages:
        warnings.append(f"OFD 文件有 {len(refs)} 页，只读取前 {max_pages} 页")
        refs = refs[:max_pages]
    pages, used = [], 0
    for i, ref in enumerate(refs):
        path = pkg.resolve(ref.get("BaseLoc", ""), base)
        page = _read_page(pkg, path, i, default_box, templates, res, warnings)
        if used >= MAX_TEXT:
            page.text = ""
        used += len(page.text)
        pages.append(page)
    attachments = _attachments(pkg, root, base)
    ids = {ref.get("ID"): i for i, ref in enumerate(refs) if ref.get("ID")}
    return OfdDocument(pages, {}, attachments=attachments, warnings=warnings, page_ids=ids)


def _read_page(pkg, path, i, default_box, templates, res, warnings) -> OfdPage:
    box = default_box or DEFAULT_BOX
    if not pkg.exists(path):
        warnings.append(f"第 {i + 1} 页的内容文件缺失，按默认尺寸计")
        return OfdPage(i, box[2], box[3], content_path=path)
    try:
        root = pkg.xml(path)
    except FileProblem as exc:
        warnings.append(f"第 {i + 1} 页无法读取：{exc.problem.message}")
        return OfdPage(i, box[2], box[3], content_path=path)
    own = physical_box(child(root, "Area"))
    if own is None and default_box is None:
        warnings.append(f"第 {i + 1} 页没有标明尺寸，按 A4 计")
    box = own or box
    page = OfdPage(i, round(box[2], 2), round(box[3], 2), content_path=path)
    for r in children(root, "PageRes"):
        res.load(pkg.resolve(text_of(r), posixpath.dirname(path)))
    parts = []
    for t in children(root, "Template"):
        tpath = templates.get(t.get("TemplateID", ""))
        if tpath and pkg.exists(tpath):
            page.template_paths.append(tpath)
            try:
                parts.append(_content(pkg.xml(tpath), page, res))
            except FileProblem:
                warnings.append(f"第 {i + 1} 页的模板无法读取")
    parts.insert(0, _content(root, page, res))
    page.text = "\n".join(p for p in parts if p)
    return page


_BLANK = re.compile(r"[ \t]+")


def _content(root, page: OfdPage, res: _Resources) -> str:
    """Text of one content tree in reading order (rows top to bottom, left to right); images and paths counted."""
    items = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "TextObject":
            b = _floats(el.get("Boundary", ""), 4) or (0, 0, 0, 0)
            size = _num(el.get("Size"), 3.5)
            for tc in children(el, "TextCode"):
                s = "".join(tc.itertext()).strip("\r\n")
                if not s:
                    continue
                y = b[1] + _num(tc.get("Y"), 0)
                x = b[0] + _num(tc.get("X"), 0)
                items.append((y, x, size, s))
            page.text_objects += 1
        elif name == "ImageObject":
            media = res.media.get(el.get("ResourceID", ""))
            b = _floats(el.get("Boundary", ""), 4)
            if media and b:
                page.images.append(OfdImage(media[0], media[1] or media[0].rsplit(".", 1)[-1].upper(),
                                            _placed(b, el.get("CTM"))))
        elif name == "PathObject":
            page.paths += 1
    return _rows(items)


def _num(v, default: float) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def _placed(b, ctm: str | None) -> tuple[float, float, float, float]:
    """The image's box on the page: the unit square through the CTM, offset by the Boundary origin."""
    m = _floats(ctm or "", 6)
    if not m:
        return b
    a, bb, c, d, e, f = m
    xs = [e, a + e, c + e, a + c + e]
    ys = [f, bb + f, d + f, bb + d + f]
    x0, y0 = min(xs), min(ys)
    return (b[0] + x0, b[1] + y0, max(xs) - x0, max(ys) - y0)


def _rows(items) -> str:
    if not items:
        return ""
    items.sort(key=lambda t: (t[0], t[1]))
    lines, cur, cur_y, cur_size = [], [], None, 0.0
    for y, x, size, s in items:
        if cur_y is not None and abs(y - cur_y) > max(cur_size, size) * 0.6:
            lines.append(cur)
            cur = []
        if not cur:
            cur_y, cur_size = y, size
        cur.append((x, s))
    lines.append(cur)
    out = []
    for ln in lines:
        ln.sort()
        out.append(_BLANK.sub(" ", " ".join(s for _x, s in ln)).strip())
    return "\n".join(out)


def _attachments(pkg: Package, root, base: str) -> list[str]:
    ref = text_of(child(root, "Attachments"))
    if not ref:
        return []
    path = pkg.resolve(ref, base)
    if not pkg.exists(path):
        return []
    try:
        a = pkg.xml(path)
    except FileProblem:
        return []
    return [(att.get("Name") or text_of(child(att, "FileLoc")))[:200] for att in descendants(a, "Attachment")][:50]


def page_texts(doc: OfdDocument, max_pages: int = 12) -> list[str]:
    return [p.text for p in doc.pages[:max_pages]]
