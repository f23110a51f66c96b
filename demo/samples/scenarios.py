"""The demo's sample filings: one Scenario per e-mail, with when it arrives and what should come of it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from config.call import CallConfig
from demo.samples import documents as docs
from demo.samples import office, reports, textpdf
from demo.samples.applicant import Applicant, applicant
from demo.samples.documents import SampleFile
from demo.samples.mail import Attachment, LargeLink, as_delivered, build_message, gbk_zip, sender_received


@dataclass(frozen=True)
class Scenario:
    name: str                     # stable key, e.g. "clean_on_time"
    title: str                    # one line for people (Chinese)
    province: str | None          # who really sent it (None: nothing identifies the sender)
    mailboxes: tuple[str, ...]    # call mailbox keys it reaches ("mof", "mohrss")
    offset: timedelta             # arrival relative to the call deadline (negative: before)
    arrives_at: datetime          # UTC: the receiving server's time (INTERNALDATE / end of DATA)
    sent_at: datetime             # UTC: the sender's Date: header
    sender: str
    message: bytes                # as sent (no receiving-server headers)
    files: tuple[SampleFile, ...]  # the documents attached (zip members listed too)
    expected: str                 # the intended outcome, in words
    expected_status: str          # filed / late / unidentified (the province's status after this mail)
    expected_codes: frozenset[str] = frozenset()  # findings this mail is built to raise (others may appear)
    cities: tuple[str, ...] = ()
    register_sender: bool = True  # the demo registers this sender as known (else expect unknown_sender)
    subject: str = ""
    attachment_names: tuple[str, ...] = field(default=())

    def delivered(self, mailbox: str) -> bytes:
        """The bytes as they sit in that 163.com mailbox (NetEase MX Received + X-CM-TRANSID on top)."""
        return as_delivered(self.message, sender=self.sender, arrived_at=self.arrives_at, mailbox=mailbox)


def _body(a: Applicant, call: CallConfig, extra: str = "") -> str:
    to = "、".join(m.org for m in call.mailboxes)
    return (f"{to}：\n\n    现将《{a.finance} {a.hrss}关于推荐{a.year}年{a.programme}的请示》及实施方案、资金预算表、"
            f"绩效目标表和佐证材料电子版（扫描件）报送你们，纸质版文件同步寄送。{extra}请查收。\n\n"
            f"{a.finance}社会保障处  {a.contact[0]}\n联系电话：{a.contact[1]}\n")


def _numbered(files: list[SampleFile]) -> list[SampleFile]:
    """Name attachments the way provinces do: 附件1：…, 附件2：… (the cover letter keeps its title)."""
    out, n = [], 0
    for f in files:
        if f.kind == "cover_letter":
            out.append(f)
            continue
        n += 1
        out.append(SampleFile(f"附件{n}：{f.filename}", f.kind, f.data, f.content_type, f.pages, f.a4_pages, f.note))
    return out


def _filing(a: Applicant, *, plan_pages: int = 3, evidence_pages: int = 1, a3_pages: int = 0,
            with_targets: bool = True, with_prior: str | None = None) -> list[SampleFile]:
    files = [docs.cover_letter(a)]
    for city in a.cities:
        files.append(docs.plan(a, city, plan_pages, filename=f"{city}{a.programme}实施方案.pdf"))
        files.append(docs.budget(a, city, a3_pages=a3_pages))
        if with_targets:
            files.append(docs.performance_targets(a, city))
    files.append(reports.evidence(a, evidence_pages))
    if with_prior:
        files.append(reports.prior_report(a, with_prior))
    return _numbered(files)


class _Builder:
    def __init__(self, call: CallConfig):
        self.call = call
        self.out: list[Scenario] = []

    def at(self, days: int, hh: int, mm: int, ss: int = 0) -> datetime:
        """A Beijing wall-clock time ``days`` days before the deadline's date (0 = the deadline day)."""
        local = self.call.deadline.astimezone(self.call.tz) - timedelta(days=days)
        return local.replace(hour=hh, minute=mm, second=ss).astimezone(self.call.deadline.tzinfo)

    def add(self, name: str, title: str, a: Applicant | None, files: list[SampleFile], *, sender: str,
            sender_name: str, subject: str, arrives: datetime, sent: datetime | None = None,
            mailboxes=("mof", "mohrss"), attachments: list[Attachment] | None = None, body: str | None = None,
            links=(), expected: str, status: str, codes=(), register=True, name_style="rfc2231",
            province: str | None = "") -> Scenario:
        sent = sent or arrives - timedelta(seconds=7)
        to = [self.call.mailbox(k).address for k in mailboxes]
        atts = attachments or [Attachment(f.filename, f.data, f.content_type, name_style) for f in files]
        raw = build_message(sender=sender, sender_name=sender_name, to=to, subject=subject, sent_at=sent,
                            body_text=body if body is not None else _body(a, self.call), attachments=atts,
                            large_links=list(links), received=[sender_received(sender, sent, name)])
        province = (a.province if a else None) if province == "" else province
        s = Scenario(name, title, province, tuple(mailboxes),
                     arrives - self.call.deadline, arrives, sent, sender, raw, tuple(files), expected, status,
                     frozenset(codes), a.cities if a else (), bool(register), subject,
                     tuple(x.filename for x in atts))
        self.out.append(s)
        return s


def build_scenarios(call: CallConfig) -> list[Scenario]:
    """The demo set (issue 7), in arrival order. Deterministic: same call, same bytes."""
    b = _Builder(call)
    mof, both = ("mof",), ("mof", "mohrss")

    a = applicant(call, "广东省", ("韶关市",), doc_seq=18)
    b.add("clean_on_time", "广东省：材料齐全，按时发送两个邮箱", a, _filing(a, plan_pages=4, evidence_pages=2),
          sender=a.sender_address, sender_name="广东省财政厅社会保障处",
          subject=f"{a.province}关于推荐{a.year}年{a.programme}的请示（电子版）", arrives=b.at(3, 10, 12),
          expected="已申报；材料齐全，页数合规，两个邮箱均按时收到，无错误。", status="filed")

    a = applicant(call, "山东省", ("青岛市", "济南市"), doc_seq=9)
    qd, jn = a.cities
    files = _numbered([docs.cover_letter(a), textpdf.plan_text(a, qd, filename=f"{qd}{a.programme}实施方案.pdf"),
                       docs.plan(a, jn, 3, filename=f"{jn}{a.programme}实施方案.pdf"),
                       docs.budget(a, qd), office.budget_xlsx(a, jn), docs.performance_targets(a, qd),
                       docs.performance_targets(a, jn), office.evidence_docx(a)])
    b.add("cp_city_two_cities", "山东省：含计划单列市，推荐青岛市和济南市两个城市", a, files,
          sender=a.sender_address, sender_name="山东省财政厅", subject=f"【山东省】{a.year}年{a.programme}申报材料（青岛市、济南市）",
          arrives=b.at(4, 17, 36), expected="已申报；推荐2个城市，其中青岛市为计划单列市，名额为1+1，不超额。"
          "预算表一份为xlsx，佐证材料为docx，一份实施方案为文字版PDF。", status="filed")

    a = applicant(call, "甘肃省", ("天水市",), doc_seq=31)
    first = _filing(a, plan_pages=3, evidence_pages=1)
    b.add("resubmission_first", "甘肃省：第一次报送，缺2022年项目执行情况报告", a, first, sender=a.sender_address,
          sender_name="甘肃省财政厅社保处", subject=f"甘肃省{a.year}年{a.programme}申报材料", arrives=b.at(6, 9, 5),
          expected="已申报；甘肃省有2022年示范项目，缺少执行情况报告（已入选名单不完整时为警告）。", status="filed",
          codes={"missing_prior_report"})

    a = applicant(call, "河南省", ("洛阳市",), doc_seq=12)
    link = LargeLink("洛阳市零工市场建设情况视频.mp4", "1.2G", b.at(-14, 18, 30).astimezone(call.tz).strftime("%Y年%m月%d日 %H:%M"),
                     "https://mail.163.com/large-attachment-download/index.html?p=X66samplelink&file=sample")
    b.add("a3_over_30_pages", "河南省：预算表为A3横向，合计超过30页（A4计）；另有超大附件链接", a,
          _filing(a, plan_pages=10, evidence_pages=12, a3_pages=3), sender=a.sender_address, sender_name="河南省财政厅",
          subject=f"河南省关于推荐{a.year}年{a.programme}的请示", arrives=b.at(2, 15, 48), links=[link],
          body=_body(a, call, "项目视频较大，以超大附件形式发送。"),
          expected="已申报；28页实物页，其中3页A3按2页计，合计31页（A4单版面）超过30页；实施方案恰为10页不超限；"
          "视频为163超大附件链接，需人工下载。", status="filed",
          codes={"total_over_page_limit", "non_a4_pages", "link_only_attachment"})

    a = applicant(call, "湖南省", ("株洲市",), doc_seq=7)
    inner = _filing(a, plan_pages=3, evidence_pages=1)
    members = [(f"{i}.{f.filename.split('：', 1)[-1]}", f.data) for i, f in enumerate(inner, 1)]
    zname = f"{a.province}{a.year}年{a.programme}申报材料.zip"
    z = gbk_zip(members, b.at(2, 20, 0))
    b.add("gbk_zip", "湖南省：全部材料打包为zip，文件名为GBK编码", a,
          [SampleFile(zname, "other", z, "application/zip", None, None, "zip, GBK member names")] +
          [SampleFile(n, f.kind, d, f.content_type, f.pages, f.a4_pages) for (n, d), f in zip(members, inner)],
          sender=a.sender_address, sender_name="湖南省财政厅", subject=f"湖南省{a.year}年{a.programme}申报材料",
          arrives=b.at(2, 20, 41), attachments=[Attachment(zname, z, "application/zip", "rfc2047")],
          expected="已申报；zip内文件名为GBK编码（无UTF-8标志），解压后材料齐全。", status="filed")

    a = applicant(call, "江苏省", ("徐州市",), doc_seq=15)
    b.add("one_mailbox_only", "江苏省：只发送到财政部邮箱", a, _filing(a, plan_pages=3), sender=a.sender_address,
          sender_name="江苏省财政厅", subject=f"江苏省关于推荐{a.year}年{a.programme}的请示", arrives=b.at(1, 11, 20),
          mailboxes=mof, name_style="rfc2047", expected="已申报；只有财政部邮箱收到（通知要求发送两个邮箱），提示警告。",
          status="filed", codes={"one_mailbox_only"})

    a = applicant(call, "四川省", ("绵阳市",), doc_seq=22)
    b.add("missing_performance_targets", "四川省：缺中央对地方转移支付项目绩效目标表", a,
          _filing(a, plan_pages=3, with_targets=False), sender=a.sender_address, sender_name="四川省财政厅",
          subject=f"四川省{a.year}年{a.programme}推荐材料", arrives=b.at(1, 16, 3), name_style="rfc2047",
          expected="已申报；缺少绩效目标表（错误）。", status="filed", codes={"missing_performance_targets"})

    anon = applicant(call, "安徽省", ("示例市",))
    b.add("unidentified_sender", "身份不明：个人邮箱发来的照片扫描件，主题和文件名都没有省份", anon,
          [reports.loose_photos(anon)], sender="zhangwei1987@example.com", sender_name="张伟", subject="材料",
          arrives=b.at(1, 22, 17), body="领导好，材料见附件。\n", register=False, province=None,
          expected="无法识别省份，进入待认领队列（unidentified），由处室人员指定省份。", status="unidentified")

    a = applicant(call, "甘肃省", ("天水市",), doc_seq=31)
    again = first + [SampleFile(f"附件{len(first)}：{f.filename}", f.kind, f.data, f.content_type, f.pages, f.a4_pages)
                     for f in [reports.prior_report(a, "天水市")]]
    b.add("resubmission", "甘肃省：补充报送，增加2022年项目执行情况报告", a, again, sender=a.sender_address,
          sender_name="甘肃省财政厅社保处", subject=f"（补充）甘肃省{a.year}年{a.programme}申报材料",
          arrives=b.at(1, 10, 30), body=_body(a, call, "此前报送的材料缺少2022年示范项目执行情况报告，现补充报送全部材料，以此为准。"),
          expected="已申报；新版本替换此前材料并补上执行情况报告，缺执行情况报告的提示消失。", status="filed",
          codes={"resubmission"})

    a = applicant(call, "浙江省", ("湖州市",), doc_seq=26)
    b.add("late_by_a_minute", "浙江省：截止后1分钟到达（发送时间在截止前）", a, _filing(a, plan_pages=3),
          sender=a.sender_address, sender_name="浙江省财政厅", subject=f"浙江省关于推荐{a.year}年{a.programme}的请示",
          arrives=call.deadline + timedelta(minutes=1), sent=call.deadline - timedelta(seconds=25),
          expected="逾期视为未申报：服务器收到时间为截止后1分钟；邮件Date头在截止前，需人工研判。", status="late",
          codes={"late_arrival", "borderline_sent_before_deadline"})
    return sorted(b.out, key=lambda s: s.arrives_at)


def timed_build(call: CallConfig) -> tuple[list[Scenario], float]:
    t = time.perf_counter()
    out = build_scenarios(call)
    return out, time.perf_counter() - t
