"""MIME parsing never raises and decodes the names Chinese mail clients really send."""
from __future__ import annotations

import base64
from datetime import datetime, timezone

from precheck.parse import parse_mail


def test_gb2312_label_with_gbk_only_characters_is_read_as_gb18030():
    subject = "朱镕基同志和喆"                                 # 镕 and 喆 are outside GB2312
    enc = base64.b64encode(subject.encode("gb18030")).decode()
    raw = (f"From: =?gb2312?B?{base64.b64encode('财政厅'.encode('gbk')).decode()}?= <a@b.cn>\r\n"
           f"Subject: =?gb2312?B?{enc}?=\r\nMIME-Version: 1.0\r\n\r\nbody\r\n").encode()
    p = parse_mail(raw)
    assert p.subject == subject and p.sender_name == "财政厅" and p.sender == "a@b.cn"


def test_rfc2231_continuations_and_raw_gbk_and_rfc2047_names():
    raw = ("From: a@b.cn\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
           "--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment;\r\n"
           " filename*0*=utf-8''%E5%AE%9E%E6%96%BD;\r\n filename*1*=%E6%96%B9%E6%A1%88.pdf\r\n\r\n%PDF-1\r\n"
           "--B\r\nContent-Type: application/vnd.ms-excel; name=\"=?gbk?B?"
           + base64.b64encode("资金预算表.xls".encode("gbk")).decode() + "?=\"\r\n\r\nxls\r\n").encode()
    raw += b"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"" + \
        "绩效目标表.pdf".encode("gbk") + b"\"\r\n\r\n%PDF-2\r\n--B--\r\n"
    p = parse_mail(raw)
    assert [a.filename for a in p.attachments] == ["实施方案.pdf", "资金预算表.xls", "绩效目标表.pdf"]
    assert len({a.sha256 for a in p.attachments}) == 3


def test_broken_headers_and_mime_never_raise():
    samples = [
        b"",
        b"\xff\xfe\x00garbage",
        b"From: <<<>>>\r\nDate: not a date\r\nSubject: =?utf-8?B?****?=\r\n\r\n",
        b"Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n--\r\n",
        b"Content-Type: multipart/mixed\r\n\r\nno boundary at all",
        b"Subject: =?unknown-charset?Q?abc?=\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64",
        b"Received: by x; Sun, 99 Foo 2023 99:99:99 +9999\r\nDate: Sun, 26 Mar 2023 25:00:00 +0800\r\n\r\n",
        b"From: " + "广东".encode("gbk") + b"\xff <x@y>\r\n\r\n",
    ]
    for raw in samples:
        p = parse_mail(raw)
        assert isinstance(p.subject, str)
    assert parse_mail(samples[6]).date_sent is None


def test_dates_and_received_chain():
    raw = (b"Received: from a by mx19 (Coremail) with SMTP id x; Sun, 26 Mar 2023 23:59:30 +0800 (CST)\r\n"
           b"Received: from b by gzsmtp5 (Coremail) with SMTP id y; Sun, 26 Mar 2023 23:59:10 +0800 (CST)\r\n"
           b"Date: Sun, 26 Mar 2023 23:58:00 +0800\r\nAuto-Submitted: auto-replied\r\n\r\nx")
    p = parse_mail(raw)
    assert p.received[0].by == "mx19" and p.received[0].at == datetime(2023, 3, 26, 15, 59, 30, tzinfo=timezone.utc)
    assert p.date_sent == datetime(2023, 3, 26, 15, 58, tzinfo=timezone.utc)
    assert p.auto_submitted
