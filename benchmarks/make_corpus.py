"""Write a corpus of what provinces send, for ``bench_corpus.py``: the public test files in
``../shared/realfiles`` (linked, not copied) plus files made here that no public corpus has in Chinese
(OFD with a drawn seal and a scan, split 7z/zip sets with and without a missing volume, an encrypted zip,
a GBK zip, junk before %PDF-, a 400 MB content stream, a forwarded mail, winmail.dat inside a mail,
an animated GIF, a HEIC inside a zip, Word/Excel made in code).

    .venv/bin/python benchmarks/make_corpus.py /tmp/corpus
    .venv/bin/python benchmarks/bench_corpus.py /tmp/corpus
"""
from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL = ROOT / ".." / "shared" / "realfiles"


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/corpus")
    (out / "real").mkdir(parents=True, exist_ok=True)
    (out / "made").mkdir(parents=True, exist_ok=True)
    for f in sorted(REAL.resolve().glob("*")):
        link = out / "real" / f.name
        if not link.exists():
            link.symlink_to(f)
    made = out / "made"
    for name, data in made_files():
        (made / name).write_bytes(data)
    print(f"{len(list((out / 'real').iterdir()))} real files, {len(list(made.iterdir()))} made files in {out}")
    return 0


def made_files():
    import py7zr
    from PIL import Image

    from tests.checks import builders as b
    from tests.precheck.ofdmaker import make_ofd, scan_png
    from tests.precheck.test_pdf_repair import big_stream_pdf

    rnd = random.Random(14)
    letter = b.scanned_pdf([b.page_image(["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示",
                                           "财政部、人力资源社会保障部："], seal=True,
                                          red_header="山东省财政厅 山东省人力资源和社会保障厅 文件")])
    plan = b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案", "一、指导思想"]] + [["正文"]] * 5)
    yield "请示.pdf", letter
    yield "实施方案.pdf", plan
    yield "资金预算表.xlsx", b.budget_xlsx(central=8000, total=12000)
    yield "实施方案.docx", b.docx(["青岛市公共就业服务能力提升示范项目实施方案", "一、指导思想"])
    yield "请示.ofd", make_ofd([{"lines": ["关于推荐青岛市申报2023年公共就业服务能力提升示范项目的请示",
                                            "财政部、人力资源社会保障部："], "seal": True}])
    yield "扫描件.ofd", make_ofd([{"image": scan_png()}, {"box": (297, 420), "image": scan_png(297, 420)}])
    yield "网关横幅.pdf", b"X-Scanned-By: gateway\r\n" * 120 + plan
    yield "大内容流.pdf", big_stream_pdf(400)
    yield "材料.zip", b.zip_gbk({"山东省/实施方案.pdf": plan, "山东省/请示.pdf": letter})
    enc = bytearray(b.zip_utf8({"实施方案.pdf": plan}))
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        p = enc.find(sig)
        enc[p + at] |= 1
    yield "密码另发.zip", bytes(enc)
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w") as z:
        z.writestr(plan + os.urandom(60_000), "实施方案.pdf")
        z.writestr(letter, "请示.pdf")
    whole = buf.getvalue()
    third = len(whole) // 3 + 1
    for i in range(3):
        yield f"分卷齐全.7z.{i + 1:03d}", whole[i * third:(i + 1) * third]
    yield "缺卷.7z.001", whole[:third]
    yield "缺卷.7z.003", whole[2 * third:]
    frames = [Image.new("RGB", (200, 200), (rnd.randrange(255), 0, 0)) for _ in range(6)]
    gif = io.BytesIO()
    frames[0].save(gif, format="GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    yield "动图.gif", gif.getvalue()
    heic = (REAL / "pillow_heif__zPug_3.heic").read_bytes()
    yield "手机照片.zip", b.zip_utf8({"IMG_0001.HEIC": heic})
    yield "转发.eml", forwarded_mail(plan)
    yield "winmail邮件.eml", mail_with("winmail.dat", (REAL / "poi__quick-winmail.dat").read_bytes(),
                                      "application/ms-tnef")
    tmp = Path("/tmp/sb-corpus-zip")
    tmp.mkdir(exist_ok=True)
    (tmp / "实施方案.pdf").write_bytes(plan + os.urandom(200_000))
    for f in tmp.glob("分卷.*"):
        f.unlink()
    subprocess.run(["zip", "-q", "-s", "100k", "分卷.zip", "实施方案.pdf"], cwd=tmp, check=True)
    for f in sorted(tmp.glob("分卷.*")):
        yield f.name, f.read_bytes()


def mail_with(name: str, data: bytes, ctype: str) -> bytes:
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "sd@example.cn", "jyfw@example.gov.cn", "山东省申报材料"
    m.set_content("请查收。")
    main, sub = ctype.split("/")
    m.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return m.as_bytes()


def forwarded_mail(pdf: bytes) -> bytes:
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "李四 <lisi@sdcz.example.cn>", "zhang@example.cn", "山东省申报材料"
    inner.set_content("附件为申报材料。")
    inner.add_attachment(pdf, maintype="application", subtype="pdf", filename="实施方案.pdf")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "张三 <zhang@example.cn>", "jyfw@example.gov.cn", "转发：山东省申报材料"
    outer.set_content("转发李四的申报材料。")
    outer.add_attachment(inner)
    return outer.as_bytes()


if __name__ == "__main__":
    sys.exit(main())
