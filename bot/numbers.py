"""Numbers in staff messages: Chinese numerals (``cn2an``), pages per document, amounts, periods, stated counts.

Only numeral runs followed by a unit are converted (十二页 → 12页, 九千八百万 → 98000000, 一点二个亿 → 1.2个亿,
两年半 → 2年半), so words such as 一共 / 一下 / 一起 stay words. ``cn2an`` is imported only when a message has
such a run.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点"
_UNITS = "页个万亿年月天日号小时分点元市次张周位项份倍p"
# a bare digit after 亿/万 is its next place (一亿二 = 1.2亿, 两万五 = 25000); a run ending in 万/亿 is taken whole
# before a run followed by a unit (一亿零五百万 is 105000000, not 100000500 followed by 万)
_RUN = re.compile(f"[{_NUM_CHARS}]*[万亿][一二两三四五六七八九](?![{_NUM_CHARS}])|[{_NUM_CHARS}]*[万亿](?![{_NUM_CHARS}])"
                  f"|[{_NUM_CHARS}]+(?=[{_UNITS}半整多])")
_DIGIT_WORDS = {"俩": "2", "仨": "3"}


_DIG = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2} | {
    c: i + 1 for i, c in enumerate("壹贰叁肆伍陆柒捌玖")}
_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def _section(s: str) -> int | None:
    """一千二百三十四 / 十二 / 两百 (below 10 000)."""
    total, digit = 0, None
    for ch in s:
        if ch in _DIG:
            if digit is not None and digit != 0:
                return None
            digit = _DIG[ch]
        elif ch in _UNIT:
            total += (1 if digit is None else digit) * _UNIT[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def fast_cn(run: str) -> float | int | None:
    """The common Chinese numerals without building cn2an's patterns (which cost a cold process ~0.5 s):
    integers with 十百千万亿, 两, capitals (壹…玖, 拾佰仟), one 点 for decimals. None: leave it to cn2an.
    tests/bot/test_nlu.py checks it against cn2an over thousands of numbers."""
    if "点" in run:
        head, _, tail = run.partition("点")
        if not tail or any(c not in _DIG for c in tail):
            return None
        h = fast_cn(head) if head else 0
        return None if h is None else float(f"{h}." + "".join(str(_DIG[c]) for c in tail))
    total = 0
    rest = run
    for unit, mult in (("亿", 10 ** 8), ("万", 10 ** 4)):
        if unit in rest:
            head, _, rest = rest.partition(unit)
            v = _section(head) if head else 1
            if v is None or unit in rest:
                return None
            total += v * mult
    if rest:
        v = _section(rest)
        if v is None:
            return None
        if len(rest) == 1 and rest in _DIG and total and run[-2:-1] in ("万", "亿"):
            v *= {"亿": 10 ** 7, "万": 1000}[run[-2]]          # 一万五 = 15000
        total += v
    return total


def _cn(run: str) -> str | None:
    v = fast_cn(run)
    if v is not None:
        return f"{v:g}" if isinstance(v, float) else str(v)
    import cn2an

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mode in ("strict", "normal", "smart"):
            try:
                v = cn2an.cn2an(run, mode)
                return f"{v:g}" if isinstance(v, float) else str(v)
            except (ValueError, KeyError, IndexError, TypeError):
                continue
    return None


_MIXED_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*([十百千])\s*(万|亿)")       # 1千万, 1.5千万, 3百万
_DIGIT_IN_CN = re.compile(r"(?<=[一二两三四五六七八九十][十百千万亿])(\d)(?=[十百千万亿])")   # 两千5百万
_CN_DIGIT = dict(zip("0123456789", "零一二三四五六七八九"))
_UNIT = {"十": 10, "百": 100, "千": 1000}


def _unmix(text: str) -> str:
    """Digits written with Chinese units ("1千万" = 1000万, "两千5百万" = 两千五百万): read as one number, never
    as the digit followed by a separate 千万 (that read "1千万" as 1.1亿)."""
    text = _DIGIT_IN_CN.sub(lambda m: _CN_DIGIT[m.group(1)], text)

    def one(m: re.Match) -> str:
        v = float(m.group(1)) * _UNIT[m.group(2)]
        return (f"{v:.0f}" if v == int(v) else f"{v:g}") + m.group(3)
    return _MIXED_UNIT.sub(one, text)


def arabic(text: str) -> str:
    """``text`` with Chinese numerals that count something turned into digits (the rest unchanged)."""
    text = _unmix(text)
    if not any(c in _NUM_CHARS or c in _DIGIT_WORDS for c in text):
        return text
    out, i = [], 0
    for m in _RUN.finditer(text):
        run = m.group(0)
        if run in ("点", "万", "亿") or not run:
            continue
        tail = ""
        if run.endswith("点") and len(run) > 1:
            run, tail = run[:-1], "点"
        elif "点" in run and run[-1] in "万亿" and len(run) > 2:
            run, tail = run[:-1], run[-1]             # 一点二亿: 1.2 then the unit
        v = _cn(run)
        if v is None:
            continue
        out.append(text[i:m.start()])
        out.append(v + tail)
        i = m.end()
    out.append(text[i:])
    t = "".join(out)
    for w, d in _DIGIT_WORDS.items():
        t = t.replace(w, d + "个" if not t[t.find(w) + 1:t.find(w) + 2] == "个" else d)
    return t


# --- pages ------------------------------------------------------------------------------------------
_PAGE = re.compile(r"(\d+)\s*(?:页|p(?![a-z]))")
_DOC_WORDS = (
    ("prior_report", ("执行情况报告", "执行报告", "执行情况")),
    ("plan", ("实施方案", "方案")),
    ("budget", ("预算表", "预算")),
    ("performance_targets", ("绩效目标表", "绩效表", "目标表", "绩效")),
    ("cover_letter", ("请示", "正文", "文件头", "红头")),
    ("evidence", ("佐证", "证明材料", "附件材料")),
    ("other", ("其他", "其它", "其余", "剩下", "别的", "另外", "余下")),
    ("total", ("总共", "一共", "共计", "合计", "总计", "统共", "加起来", "全部", "总页数", "整个", "整套", "申报文件",
               "申报材料", "材料", "总", "共")),
)


@dataclass
class Pages:
    parts: dict[str, int] = field(default_factory=dict)     # document kind → pages stated
    total_stated: int | None = None
    a3: bool = False                                         # a non-A4 page is involved
    prior_report: bool = False                               # the 2022 执行情况报告 is counted in
    basis: str = ""                                          # how a follow-up's total was reached (29 + 2 页)

    @property
    def plan(self) -> int | None:
        return self.parts.get("plan")

    @property
    def total(self) -> int | None:
        if self.total_stated is not None:
            return self.total_stated
        comps = {k: v for k, v in self.parts.items() if k != "prior_report"}
        if len(comps) >= 2 or (comps and "plan" not in comps):
            return sum(comps.values())
        return None

    @property
    def any(self) -> bool:
        return bool(self.parts) or self.total_stated is not None


def _kind_before(text: str, start: int, pos: int) -> str | None:
    """The document a page count belongs to: the last document word between the previous count and this one
    (a specific document beats a word for the whole, "其他东西加起来20页" is the others)."""
    window = text[max(start, pos - 12):pos]
    best, at = None, -1
    for kind, words in _DOC_WORDS:
        if kind == "total":
            continue
        for w in words:
            j = window.rfind(w)
            if j > at:
                best, at = kind, j
    if best:
        return best
    return "total" if any(w in window for w in _DOC_WORDS[-1][1]) else None


def pages_in(t: str) -> Pages:
    """Page counts in arabic-normalised ``t``: per document (方案8页 预算表3页), a stated total, A3 involvement."""
    p = Pages(a3="a3" in t or "非a4" in t or "a4以外" in t or "大表" in t, prior_report=any(
        w in t for w in ("执行情况报告", "执行报告", "执行情况")))
    prev = 0
    for m in _PAGE.finditer(t):
        n = int(m.group(1))
        if (t[max(0, m.start() - 1):m.start()] in ("算", "按", "计", "成", "超", "过")
                and t[max(0, m.start() - 2):m.start()] not in ("改成", "换成", "变成", "改为")) \
                or t[m.end():m.end() + 2] == "还是" \
                or t[max(0, m.start() - 2):m.start()] in ("还是", "算作", "算成"):
            continue                                 # "算一页还是两页": a question about counting, not a count
        kind = _kind_before(t, prev, m.start())
        prev = m.end()
        after = t[m.end():m.end() + 4]
        if kind is None and after.startswith(("a3", "的a3")):
            continue
        if kind in (None, "total"):
            if p.total_stated is None:
                p.total_stated = n
            continue
        p.parts.setdefault(kind, n)
    return p


# --- money ------------------------------------------------------------------------------------------
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(个)?\s*(半)?\s*(亿|万)\s*(元)?|(\d{6,})\s*元?")
_CENTRAL = ("中央", "补助", "部里", "申请", "要")
_OTHER = ("地方", "配套", "省级", "省里", "市级", "市里", "县级", "自筹", "社会", "总投资", "总共", "合计", "一共", "总规模")


@dataclass
class Amount:
    wan: float                 # in 万元
    start: int
    central: bool | None       # stated as the central subsidy (True), as another source (False), unsaid (None)


def amounts_in(t: str) -> list[Amount]:
    out = []
    for m in _MONEY.finditer(t):
        if m.group(6):
            wan = int(m.group(6)) / 10000
        else:
            v = float(m.group(1)) + (0.5 if m.group(3) else 0)
            wan = v * (10000 if m.group(4) == "亿" else 1)
        before = t[max(0, m.start() - 8):m.start()]
        last_c = max((before.rfind(w) for w in _CENTRAL), default=-1)
        last_o = max((before.rfind(w) for w in _OTHER), default=-1)
        central = None if last_c < 0 and last_o < 0 else last_c > last_o
        out.append(Amount(wan, m.start(), central))
    return out


def central_amount(t: str) -> float | None:
    """The central subsidy a message states, in 万元: the amount said to be central, else the only amount."""
    amts = amounts_in(t)
    central = [a for a in amts if a.central]
    if central:
        return central[0].wan
    unsaid = [a for a in amts if a.central is None]
    return unsaid[0].wan if len(unsaid) == 1 and len(amts) == 1 else (unsaid[0].wan if unsaid and not
                                                                     any(a.central is False for a in amts) else None)


# --- periods ----------------------------------------------------------------------------------------
_RANGE = re.compile(r"(20\d\d)\s*年\s*(\d{1,2})\s*月.{0,6}?(?:到|至|-|~|—|干到|做到|结束于|截至)\s*(20\d\d)\s*年\s*(\d{1,2})\s*月")
# 2023.6-2025.12 / 2023/06~2025/12 / 2023-06至2025-12 (year and month written with a dot, slash or dash)
_RANGE_DOTTED = re.compile(r"(?<!\d)(20\d\d)\s*[./-]\s*(\d{1,2})(?!\d)(?![./]\d)\s*(?:月)?\s*(?:到|至|-|~|—|－|–)\s*"
                           r"(20\d\d)\s*[./-]\s*(\d{1,2})(?!\d)")
_YEARS = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d+)?)\s*年\s*(半)?(?:\s*(?:零|0)?\s*(\d{1,2})\s*个?月)?")
_MONTHS = re.compile(r"(?<![\d.年])(\d{1,3})\s*个?月(?!\s*\d{1,2}\s*[日号])")     # not the date 3月26号
_HALF_YEAR = re.compile(r"半年")


_YEAR_AFTER = re.compile(r"\s*(?:的|有|入选|获评|被评|示范|项目|执行|度|申报|评上|评审|名单|底|初|末|上半|下半|那批|那次|以前|以后|之前|之后|"
                         r"\d{1,2}\s*月)")


def _a_year(t: str, m: re.Match) -> bool:
    """"22年示范项目" / "22年入选的" is the year 2022, not a period of 22 years."""
    return not m.group(2) and not m.group(3) and float(m.group(1)) >= 10 and bool(_YEAR_AFTER.match(t, m.end()))


def months_in(t: str) -> float | None:
    """A period stated in arabic-normalised ``t``, in months: 18个月, 2年半, 2年零3个月, 2023年7月到2025年6月."""
    m = _RANGE.search(t) or _RANGE_DOTTED.search(t)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(4)) <= 12:
        y1, m1, y2, m2 = map(int, m.groups())
        return (y2 - y1) * 12 + (m2 - m1) + 1
    m = next((m for m in _YEARS.finditer(t) if not _a_year(t, m)), None)
    if m:
        months = float(m.group(1)) * 12 + (6 if m.group(2) else 0) + (int(m.group(3)) if m.group(3) else 0)
        return months
    m = _MONTHS.search(t)
    if m:
        return float(m.group(1))
    if _HALF_YEAR.search(t):
        return 6.0
    return None


# --- stated number of cities ------------------------------------------------------------------------
_COUNT = re.compile(r"(\d)\s*(?:个)?\s*(?:地级市|地市|城市|市)(?![场长委民政])|(\d)\s*个(?=\s|(?:$|[,.?!;]|行|可以|可不|能|吗|呢|一起|"
                    r"都|是否|没问题|够|好|地级|$))|(?:报|推|推荐|申报)\s*(\d)\s*个")


def stated_count(t: str) -> int | None:
    """How many cities a message says (报两个 / 三个市 / 俩都报 / 一共两个市), or None."""
    found = [int(next(g for g in m.groups() if g)) for m in _COUNT.finditer(t)]
    found = [n for n in found if 0 < n < 10]
    return found[-1] if found else None
