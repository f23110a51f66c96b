"""Forward banners of the mail clients provincial staff use, and attached messages."""
from __future__ import annotations

import email

import pytest

from precheck.mailtext import decode_header_text
from precheck.forwarded import attached_forward, inline_forward, is_forward_subject

from tests.precheck.realfiles import real

QQ = """请查收。

------------------ 原始邮件 ------------------
发件人: "李四"<lisi@sdcz.gov.cn>;
发送时间: 2023年3月24日(星期五) 下午3:12
收件人: "张三"<zhangsan@qq.com>;
主题: 山东省2023年公共就业服务能力提升示范项目申报材料
"""
NETEASE = """-------- 转发邮件信息 --------
发件人：王五 &lt;wangwu@126.com&gt;
发送日期：2023-03-25 10:01:02
收件人：jyfw@mof.gov.cn
主题：关于申报的请示
"""
OUTLOOK = """附件为申报材料。

发件人: 赵六 [mailto:zhaoliu@hrss.sd.gov.cn]
发送时间: 2023年3月25日 9:30
收件人: 张三
主题: 申报材料
"""
GMAIL = """---------- Forwarded message ---------
From: Qian Qi <qianqi@gmail.com>
Date: Sat, Mar 25, 2023 at 9:30 AM
Subject: 申报材料
To: <x@example.com>
"""


@pytest.mark.parametrize("text,addr,name,subject", [
    (QQ, "lisi@sdcz.gov.cn", "李四", "山东省2023年公共就业服务能力提升示范项目申报材料"),
    (NETEASE, "wangwu@126.com", "王五", "关于申报的请示"),
    (OUTLOOK, "zhaoliu@hrss.sd.gov.cn", "赵六", "申报材料"),
    (GMAIL, "qianqi@gmail.com", "Qian Qi", "申报材料"),
])
def test_inline_forward_banners(text, addr, name, subject):
    f = inline_forward(text)
    assert (f.how, f.original_from, f.original_name, f.original_subject) == ("inline", addr, name, subject)
    assert f.describe("zhangsan@qq.com").startswith("由 zhangsan@qq.com 转发；原邮件发件人 ")


def test_plain_body_is_no_forward():
    assert inline_forward("财政部、人力资源社会保障部：\n现将我省申报材料报送如下。") is None
    assert is_forward_subject("转发：山东省申报材料") and is_forward_subject("Fwd: FW: x")
    assert not is_forward_subject("山东省申报材料")


def test_attached_forward_from_the_real_corpus_mail():
    msg = email.message_from_bytes(real("mikel-mail__attachment_message_rfc822.eml"))
    inner = next(p for p in msg.walk() if p.get_content_type() == "message/rfc822").get_payload()[0]
    f = attached_forward(inner, decode_header_text)
    assert (f.how, f.original_from, f.original_name, f.original_subject) == (
        "attached", "xxxx@xxxx.com", "Test Tester", "Another PDF")
    assert f.original_message_id == "<xxxx@xxxx.com>"
    assert f.describe("foo@example.com") == ("由 foo@example.com 转发；原邮件发件人 Test Tester <xxxx@xxxx.com>；主题「Another PDF」；"
                                             "原发送时间 Tue, 10 May 2005 11:26:39 -0600（原邮件作为附件转发）")
