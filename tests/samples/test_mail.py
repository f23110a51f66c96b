"""The sample messages parse with precheck.parse into the intended subjects, senders, times and file names."""
from __future__ import annotations

import email
import io
import re
import zipfile
from datetime import datetime, timezone

from precheck.parse import parse_mail
from demo.samples.mail import Attachment, LargeLink, build_message, encode_words, gbk_zip

T = datetime(2023, 3, 25, 8, 0, tzinfo=timezone.utc)
LONG = "广东省财政厅广东省人力资源和社会保障厅关于推荐2023年公共就业服务能力提升示范项目的请示.pdf"


def _msg(atts, **kw):
    return build_message(sender="sbc.czt@gd.gov.cn.example", sender_name="广东省财政厅社会保障处",
                         to=["sbsjyc@163.com"], subject=kw.pop("subject", "广东省申报材料"), sent_at=T,
                         body_text="请查收。", attachments=atts, **kw)


def test_every_scenario_parses_to_its_subject_sender_times_and_file_names(scenarios):
    for s in scenarios.values():
        for box in s.mailboxes:
            m = parse_mail(s.delivered(box))
            assert m.subject == s.subject, s.name
            assert m.sender == s.sender and m.message_id
            assert m.date_sent == s.sent_at
            assert [a.filename for a in m.attachments] == list(s.attachment_names), s.name
            assert m.received[0].by.startswith("mx") and m.received[0].at == s.arrives_at
            assert not m.defects, (s.name, m.defects)


def test_attachment_bytes_survive_the_round_trip(scenarios):
    s = scenarios["clean_on_time"]
    m = parse_mail(s.message)
    assert [a.data for a in m.attachments] == [f.data for f in s.files]


def test_long_utf8_name_uses_rfc2231_continuations_and_parses_whole():
    raw = _msg([Attachment(LONG, b"%PDF-1.4\n", "application/pdf")])
    assert b"filename*0*=UTF-8''" in raw and b"filename*1*=" in raw
    assert parse_mail(raw).attachments[0].filename == LONG


def test_rfc2047_gbk_name_in_parameter_parses():
    raw = _msg([Attachment("附件2：资金预算表.pdf", b"x", "application/pdf", "rfc2047")])
    assert b'filename="=?GBK?B?' in raw
    assert parse_mail(raw).attachments[0].filename == "附件2：资金预算表.pdf"


def test_raw_gbk_name_is_written_as_8bit_gbk_octets():
    name = "湖南省申报材料.zip"
    raw = _msg([Attachment(name, b"PK", "application/zip", "raw_gbk")])
    assert b'filename="' + name.encode("gbk") + b'"' in raw
    part = [p for p in email.message_from_bytes(raw).walk() if p.get_content_type() == "application/zip"][0]
    disp = dict(part.raw_items())["Content-Disposition"]
    assert name in disp.encode("ascii", "surrogateescape").decode("gb18030")


def test_subject_is_rfc2047_encoded_in_short_words():
    subject = "河南省关于推荐2023年公共就业服务能力提升示范项目的请示"
    enc = encode_words(subject)
    assert all(len(w) <= 75 for w in enc.split("\r\n "))
    assert parse_mail(_msg([], subject=subject)).subject == subject


def test_gbk_zip_members_have_gbk_names_without_the_utf8_flag(scenarios):
    s = scenarios["gbk_zip"]
    m = parse_mail(s.message)
    (att,) = m.attachments
    assert att.filename.endswith("申报材料.zip") and "湖南省" in att.filename
    with zipfile.ZipFile(io.BytesIO(att.data), metadata_encoding="gb18030") as z:
        names = z.namelist()
        assert all(not (i.flag_bits & 0x800) for i in z.infolist())
        assert z.read(names[0]).startswith(b"%PDF")
    assert names[0].startswith("1.") and names[0].endswith("请示.pdf")
    assert any("株洲市" in n and "实施方案" in n for n in names) and any("绩效目标表" in n for n in names)
    with zipfile.ZipFile(io.BytesIO(att.data)) as z:  # read as the spec's default (cp437): mojibake
        assert not any("株洲" in n for n in z.namelist())


def test_gbk_zip_refuses_placeholder_collisions_cleanly():
    data = gbk_zip([("佐证材料.pdf", b"%PDF")], T)
    with zipfile.ZipFile(io.BytesIO(data), metadata_encoding="gbk") as z:
        assert z.namelist() == ["佐证材料.pdf"]


def test_163_large_attachment_markup_is_in_the_html_body(scenarios):
    m = parse_mail(scenarios["a3_over_30_pages"].message)
    block = re.search(r'<div style="clear:both;height:36px;padding:6px 4px;[^"]*">(.*?)</div></div>', m.html_body)
    assert block
    a = re.search(r'<a download filename="([^"]+)" href="([^"]+)"', block.group(1))
    span = re.search(r'<span style="color:#bbb">\(([^,]+), (.+?)到期\)</span>', block.group(1))
    assert a.group(1) == "洛阳市零工市场建设情况视频.mp4" and a.group(2).startswith("https://mail.163.com/")
    assert span.group(1) == "1.2G" and span.group(2) == "2023年04月10日 18:30"
    assert not any(x.filename.endswith(".mp4") for x in m.attachments)


def test_one_mailbox_scenario_is_addressed_to_one_mailbox(scenarios, call):
    m = email.message_from_bytes(scenarios["one_mailbox_only"].message)
    assert m["To"].strip() == call.mailbox("mof").address
    both = email.message_from_bytes(scenarios["clean_on_time"].message)
    assert {a.strip() for a in both["To"].split(",")} == {b.address for b in call.mailboxes}


def test_large_link_with_unlimited_expiry():
    raw = _msg([], large_links=[LargeLink("a.mp4", "2G", "无限期", "https://mail.163.com/x")])
    assert "无限期到期" in parse_mail(raw).html_body
