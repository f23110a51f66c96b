"""Slots from field libraries: places (the offline gazetteer, ``core.places``) with polarity (报 / 不报 / 换成) and the
stated count, numbers (``bot.numbers``: cn2an), times (``bot.when``), references, mailboxes, binding codes.

``extract`` reads everything from one normalised message; the engine fills what is missing from the chat's
dialogue state. Provinces are the call's units (a 计划单列市 or any city names its province only through
``cities``); one-character abbreviations count only standing alone and never the ambiguous ones (青/宁/新).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from config.call import CallConfig
from core.places import CITY, COUNTY, PROVINCE, Gazetteer, load_gazetteer

from bot.features import canonical, mark_places
from bot.normalize import is_cjk
from bot.numbers import Pages, arabic, central_amount, months_in, pages_in, stated_count

REF_RE = re.compile(r"(?<![a-z0-9])([sr])\s*0*(\d{1,9})(?![0-9])", re.I)
DOC_RE = re.compile(r"(?:文件|doc|document|d)\s*#?\s*(\d{1,9})", re.I)
CODE_RE = re.compile(r"\b([a-z2-9]{4})-?([a-z2-9]{4})\b", re.I)
DATE_RE = re.compile(r"(20\d\d)[-./年](\d{1,2})[-./月](\d{1,2})日?")
TRACKING_RE = re.compile(r"(?<![a-z0-9])([a-z]{1,4}\d{8,15}|\d{10,15})(?![0-9])", re.I)
_ABBR_FOLLOW = set("的呢省?,.!吗 ")
_OWN = ("我们", "我省", "我市", "本省", "咱们", "我方", "我单位", "俺们", "我这边", "我们这边", "我们省", "咱省")
_NEG_BEFORE = ("不报", "不含", "除了", "去掉", "不要", "删掉", "撤掉", "拿掉", "不推", "不包括", "除", "不算")
_NEG_AFTER = ("不报", "不要了", "去掉", "不推了", "不报了", "拿掉")
_REPLACE = ("换成", "改成", "换为", "改为", "替换成", "换")
_ADD = ("再加", "加上", "另加", "加一个", "还加", "再报", "再推")
_MOF = ("财政部", "sbsjyc", "财政那个", "财政的邮箱", "财政邮箱", "财政那边")
_MOHRSS = ("人社部", "人力资源社会保障部", "jysmohrss", "人社那个", "人社的邮箱", "人社邮箱", "人社那边")


@dataclass
class Slots:
    provinces: list[str] = field(default_factory=list)      # the call's units named, in order of mention
    forms: dict[str, list[str]] = field(default_factory=dict)
    cities: list[str] = field(default_factory=list)         # prefecture-level cities meant (after 不报 / 换成)
    dropped: list[str] = field(default_factory=list)        # cities named but taken out (不报青岛 / 把青岛换成烟台)
    added: list[str] = field(default_factory=list)          # cities said to be added (再加一个济南)
    context_cities: list[str] = field(default_factory=list)  # cities the province has, not filed (省里有大连)
    city_units: dict[str, str] = field(default_factory=dict)  # city → the call's unit it belongs to
    counties: list[str] = field(default_factory=list)       # districts and counties named
    count: int | None = None                                # the number of cities stated (两个 / 仨)
    own: bool = False                                       # 我们 / 我省 …
    refs: list[str] = field(default_factory=list)           # S000009 / R000016
    pages: Pages = field(default_factory=Pages)
    amount_wan: float | None = None                         # the central subsidy stated, 万元
    amount_basis: str = ""                                  # a follow-up's sum (bot.dialogue.carry_numbers)
    months: float | None = None                             # an implementation period stated
    mailboxes: set[str] = field(default_factory=set)        # mof / mohrss named
    arabic: str = ""                                        # the text with Chinese numerals as digits
    canon: str = ""                                         # what the models see (places marked, digits #)
    tracking: str | None = None
    day: date | None = None


@lru_cache(maxsize=4)
def _abbr_table(call: CallConfig) -> dict[str, str]:
    return {p.abbr: p.name for p in call.provinces if p.abbr and p.abbr not in call.ambiguous_abbr}


@lru_cache(maxsize=4)
def _unit_forms(call: CallConfig) -> tuple[tuple[str, str], ...]:
    """Multi-character forms of the call's units (names, aliases, departments), longest first."""
    pairs: dict[str, str] = {}
    for p in call.provinces:
        for f in (p.name, *p.aliases, p.finance, p.hrss):
            if len(f) >= 2:
                pairs[f] = p.name
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


_GAZ_DIR: list[Path | None] = [None]


def use_cache_dir(path: Path | None) -> None:
    """Where the gazetteer's cache lives (the engine sets ``Settings.cache_dir``)."""
    _GAZ_DIR[0] = path


def gazetteer() -> Gazetteer:
    return load_gazetteer(_GAZ_DIR[0])


@dataclass(frozen=True)
class _M:
    start: int
    end: int
    form: str
    level: str
    name: str          # unit name (province) or place name (city/county)
    unit: str | None   # the call's unit it belongs to


def place_mentions(text: str, call: CallConfig) -> list[_M]:
    """Every place in normalised ``text``: the call's units (with 兵团 and department names), then gazetteer
    cities and counties in the gaps, then lone one-character abbreviations."""
    taken = [False] * len(text)
    out: list[_M] = []
    for form, unit in _unit_forms(call):
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            # "吉林市"/"海南藏族自治州": a city whose name begins with the province's
            nxt = text[end:end + 1]
            if not any(taken[start:end]) and not (nxt in ("市", "州", "盟") and form == unit.removesuffix("省")):
                taken[start:end] = [True] * (end - start)
                out.append(_M(start, end, form, PROVINCE, unit, unit))
            start = text.find(form, end)
    units = {p.name for p in call.provinces}
    for m in gazetteer().mentions(text):
        if any(taken[m.start:m.end]):
            continue
        p = m.place
        if p.level == PROVINCE:
            continue                                      # 香港/台湾: not units of the call
        taken[m.start:m.end] = [True] * (m.end - m.start)
        out.append(_M(m.start, m.end, m.form, p.level, p.name, p.province if p.province in units else None))
    table = _abbr_table(call)
    for i, ch in enumerate(text):
        if ch not in table or taken[i]:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if (not before or not is_cjk(before)) and (not after or after in _ABBR_FOLLOW or not is_cjk(after)):
            out.append(_M(i, i + 1, ch, PROVINCE, table[ch], table[ch]))
    out.sort(key=lambda m: m.start)
    return out


def _neg_after(text: str, m: _M, nxt: _M | None) -> bool:
    """A negation after the city ("青岛不报了") that is not the next city's ("杭州 不报宁波": 不报 governs 宁波)."""
    after = text[m.end:m.end + 4]
    for w in _NEG_AFTER:
        for off in (0, 1):
            if after[off:].startswith(w):
                end = m.end + off + len(w)
                return not (nxt is not None and nxt.start - end <= 1 and not text[end:nxt.start].strip("了"))
    return False


def _context(text: str, m: _M) -> bool:
    """A city named as what the province has, not as what it files: "我们省里有大连 能报两个吗"."""
    before = text[max(0, m.start - 3):m.start]
    if not before.endswith(_HAS) or any(n in before for n in ("不", "没", "除", "还有", "另有", "也有", "再有")):
        return False
    clause = re.split(r"[\s,.?!;]", text[:m.start])[-1]
    return not any(w in clause for w in ("报", "推", "申请"))


_HAS = ("有", "含", "包括", "包含", "辖")


def _polarity(text: str, cities: list[_M]) -> tuple[list[str], list[str], list[str]]:
    """(cities meant, cities dropped, cities added) from 报 / 不报 / 换成 / 再加 around each city, over the whole
    message in order: a later word about a city overrides an earlier one ("报深圳和珠海 去掉珠海 换成汕头")."""
    meant, dropped, added = [], [], []

    def drop(name: str) -> None:
        dropped.append(name)
        while name in meant:
            meant.remove(name)
    for k, m in enumerate(cities):
        before = text[max(0, m.start - 3):m.start]
        after = text[m.end:m.end + 4]
        prev_end = cities[k - 1].end if k else 0
        between = text[prev_end:m.start]
        if any(w in before for w in _NEG_BEFORE) or _neg_after(text, m, cities[k + 1] if k + 1 < len(cities) else None):
            drop(m.name)
            continue
        if any(after.startswith(w) or after[1:].startswith(w) for w in _REPLACE) and k + 1 < len(cities):
            drop(m.name)
            continue
        if any(w in between[-6:] for w in _ADD):
            added.append(m.name)
        while m.name in dropped:
            dropped.remove(m.name)
        meant.append(m.name)
    return list(dict.fromkeys(meant)), list(dict.fromkeys(dropped)), list(dict.fromkeys(added))


def _rebase(text: str, cities: list[_M], meant: list[str], dropped: list[str]) -> list[str]:
    """"原来报青岛济南 现在把青岛换成烟台": the cities before 现在/换成 are the old list, edited."""
    for w in ("现在", "改为", "换成", "改成"):
        j = text.find(w)
        if j > 0 and any(m.end <= j for m in cities) and any(x in text[:j] for x in ("原来", "之前", "本来", "原先", "原计划")):
            old = [m.name for m in cities if m.end <= j]
            new = [m.name for m in cities if m.start >= j]
            kept = [c for c in old if c not in dropped]
            return list(dict.fromkeys(kept + [c for c in new if c not in dropped]))
    return meant


def extract(text: str, call: CallConfig, *, want_cities: bool = True) -> Slots:
    """Everything the message says, from normalised ``text``."""
    ms = place_mentions(text, call)
    s = Slots()
    for m in ms:
        if m.level == PROVINCE:
            s.forms.setdefault(m.name, []).append(m.form)
    s.provinces = list(s.forms)
    cities = [m for m in ms if m.level == CITY]
    cp_by_name = {cp.city: cp.province for cp in call.cp_cities}
    for m in cities:
        s.city_units[m.name] = cp_by_name.get(m.name) or m.unit or ""
    context = [m for m in cities if _context(text, m)]
    cities = [m for m in cities if m not in context]
    s.context_cities = [m.name for m in context]
    if not s.provinces:                      # "省里有大连": the province is named by its city
        s.provinces = list(dict.fromkeys(s.city_units[m.name] for m in context if s.city_units.get(m.name)))
    if want_cities and cities:
        meant, dropped, added = _polarity(text, cities)
        s.cities, s.dropped, s.added = _rebase(text, cities, meant, dropped), dropped, added
    s.counties = [m.name for m in ms if m.level == COUNTY]
    s.own = any(w in text for w in _OWN)
    s.refs = find_refs(text)
    a = arabic(text)
    s.arabic = a
    s.pages = pages_in(a)
    s.amount_wan = central_amount(a)
    s.months = months_in(a)
    s.count = stated_count(a)
    if any(w in text for w in _MOF):
        s.mailboxes.add("mof")
    if any(w in text for w in _MOHRSS):
        s.mailboxes.add("mohrss")
    tr = TRACKING_RE.search(text)
    s.tracking = tr.group(1).upper() if tr and not REF_RE.fullmatch(tr.group(1)) else None
    s.day = find_date(a)
    special = {p.name for p in call.provinces if p.type == "兵团"}
    marks = [_Mark(m.start, m.end, m.level) for m in ms if m.name not in special]
    s.canon = canonical(mark_places(text, marks))
    return s


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    level: str

    @property
    def place(self):
        return self


def provinces_in(text: str, call: CallConfig) -> dict[str, list[str]]:
    """Units named in normalised ``text`` → the forms used (kept for callers of the old API)."""
    return extract(text, call, want_cities=False).forms


def cities_in(text: str, call: CallConfig) -> list[str]:
    return extract(text, call).cities


def find_ref(text: str) -> str | None:
    refs = find_refs(text)
    return refs[0] if refs else None


def find_refs(text: str) -> list[str]:
    return list(dict.fromkeys(f"{m.group(1).upper()}{int(m.group(2)):06d}" for m in REF_RE.finditer(text)))


def find_date(text: str) -> date | None:
    m = DATE_RE.search(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.search(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]", text)
    if m:
        try:
            return date(2023, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
    return None


# --- typed slots that decide the question ------------------------------------------------------------
_ASK_ON_TIME = re.compile(r"来得及|赶得上|赶得及|赶上|按时|算数|算按时|有效|还能|还可以|还行|行吗|行不|可以吗|可以不|可以吧|"
                          r"能不能|算不算|晚不晚|迟不迟|没问题|ok")
_SEND_VERB = re.compile(r"发|交|报送|寄|送|提交|传")
_PAST = re.compile(r"[发交寄送传]了|[发交寄送传]的(?!话|时候)|已经|已发|已交|为什么|为啥|怎么会|咋")
_ASK_ANY = re.compile(r"[吗呢么吧?]|超没超|超不超|超了|够不够|行不|可以不|是否|能不能")


def decided_by_slots(s: Slots, t: str, family: str, answer: str, has_verdict: bool) -> str | None:
    """The computed rule that typed slots make the question, whatever the classifier said, or None:

    - a time to send stated, asking whether it is in time ("现在还能发吗", "两个小时后…到时候发还行吗"): the deadline
      (not a question about something sent already: "23点59发的 为什么逾期" stays the asker's own record);
    - page counts of two or more documents stated, even without a question ("佐证二十五页 方案八页 请示两页"): the
      30-page total;
    - a central subsidy or a period stated with a question, where the classifier read the asker's own record
      ("我们预算中央两千万 省里三千万 … 中央部分超了吗"): the cap / the period rule.
    """
    from bot.when import _spans

    a = s.arabic or t
    if family != "deadline" and answer not in ("open", "officer", "action") and _SEND_VERB.search(t) \
            and _ASK_ON_TIME.search(t) and not _PAST.search(t) and s.months is None and not s.pages.any \
            and s.amount_wan is None and any(k in ("now", "later", "clock", "day", "part") for _, _, k in _spans(a)):
        return "R05"
    comps = [k for k in s.pages.parts if k != "prior_report"]
    if not has_verdict and len(comps) >= 2 and family in ("materials", "pages", "plan") and answer == "rule":
        return "R14"
    if answer == "own" and _ASK_ANY.search(t):
        if s.amount_wan is not None:
            return "R18"
        if s.months is not None:
            return "R19"
    return None
