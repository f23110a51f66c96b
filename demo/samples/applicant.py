"""Who is filing: the province, its two departments, the cities applied for, and the figures they state."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from config.call import CallConfig

# Fictitious contact people and phone numbers (area codes are real, numbers are not).
_CONTACTS = {
    "广东省": ("陈晓东", "020-8310 0000"), "江苏省": ("王宏", "025-8328 0000"), "浙江省": ("周敏", "0571-8705 0000"),
    "河南省": ("李建国", "0371-6580 0000"), "四川省": ("刘洋", "028-8667 0000"), "湖南省": ("杨帆", "0731-8516 0000"),
    "山东省": ("张磊", "0531-8516 0000"), "甘肃省": ("马文斌", "0931-8836 0000"),
}
# 设区市 used as sample applicants (real cities; the figures attached to them are invented).
DEFAULT_CITY = {
    "广东省": "韶关市", "江苏省": "徐州市", "浙江省": "湖州市", "河南省": "洛阳市", "四川省": "绵阳市",
    "湖南省": "株洲市", "山东省": "济南市", "甘肃省": "天水市", "辽宁省": "鞍山市", "福建省": "泉州市",
}
# Pinyin-ish short names for the sample sender addresses.
SHORT = {
    "广东省": "gd", "江苏省": "js", "浙江省": "zj", "河南省": "ha", "四川省": "sc", "湖南省": "hn", "山东省": "sd",
    "甘肃省": "gs", "辽宁省": "ln", "福建省": "fj", "山西省": "sx",
}


@dataclass(frozen=True)
class Applicant:
    """A province's filing as its documents state it; figures are in 万元 (10,000 yuan)."""

    province: str
    abbr: str
    finance: str
    hrss: str
    cities: tuple[str, ...]
    doc_no: str
    signed: date
    contact: tuple[str, str]
    period: tuple[int, int] = (2023, 2024)
    subsidy_wan: dict[str, float] = field(default_factory=dict)  # central subsidy per city
    total_wan: dict[str, float] = field(default_factory=dict)    # total budget per city
    programme: str = "公共就业服务能力提升示范项目"
    call_doc_no: str = "财办社〔2023〕22号"
    call_title: str = "关于组织申报2023年公共就业服务能力提升示范项目的通知"
    call_issuers: tuple[str, ...] = ("财政部办公厅", "人力资源社会保障部办公厅")
    year: int = 2023

    @property
    def seed(self) -> str:
        return f"{self.province}/{'+'.join(self.cities)}/{self.signed.isoformat()}"

    def rng(self, what: str) -> random.Random:
        return random.Random(f"{self.seed}/{what}")

    def cities_text(self) -> str:
        return "、".join(self.cities)

    @property
    def units(self) -> str:
        return f"{self.finance} {self.hrss}"

    @property
    def period_text(self) -> str:
        return f"{self.period[0]}年—{self.period[1]}年"

    @property
    def sender_address(self) -> str:
        """A sample sender under the reserved ``.example`` TLD, shaped like a provincial finance mailbox."""
        return f"sbc.czt@{SHORT.get(self.province, 'prov')}.gov.cn.example"


def applicant(call: CallConfig, province: str, cities: tuple[str, ...] | None = None, *,
              signed: date | None = None, period: tuple[int, int] | None = None,
              subsidy_wan: float | dict[str, float] = 5000.0, doc_seq: int = 18) -> Applicant:
    """Build an Applicant from the call config (unit names, abbreviation, the call's own title and number)."""
    p = call.province(province)
    cities = cities or (DEFAULT_CITY.get(p.name, "示例市"),)
    if isinstance(subsidy_wan, (int, float)):
        subsidy_wan = {c: float(subsidy_wan) for c in cities}
    total = {c: round(v * 1.6, 2) for c, v in subsidy_wan.items()}
    year = call.deadline.astimezone(call.tz).year
    return Applicant(
        province=p.name, abbr=p.abbr or p.name[:1], finance=p.finance, hrss=p.hrss, cities=tuple(cities),
        doc_no=f"{p.abbr or p.name[:1]}财社〔{year}〕{doc_seq}号",
        signed=signed or (call.deadline.astimezone(call.tz).date() - timedelta(days=7)),
        contact=_CONTACTS.get(p.name, ("赵明", "010-0000 0000")),
        period=period or (year, year + call.limits.max_implementation_years - 1),
        subsidy_wan=dict(subsidy_wan), total_wan=total, programme=call.programme or "公共就业服务能力提升示范项目",
        call_doc_no=call.doc_no, call_title=call.title, call_issuers=call.issuers or Applicant.call_issuers,
        year=year)


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def wan(v: float) -> str:
    return f"{v:,.2f}"
