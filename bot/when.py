"""Dates and times in staff messages, absolute and relative, against the injected clock (Beijing time).

"今晚12点前", "明天早上", "周日晚上十点", "下周二", "后天上午", "3月27号", "23:59", "一个半小时以后", "刚过十分钟",
"现在". Weeks start on Monday (这周日 = the coming Sunday of this week, 下周二 = Tuesday of next week); a bare
weekday already past this week is the coming one ("周一" said on a Friday is the next Monday).

A message may speak of several times. Its words are grouped into expressions (a day, a part of the day and a clock
next to each other are one: "明早八点", "周日 晚上10点"); a clock never takes the day of another expression. The
expression meant is the last one followed by a verb of sending ("明早八点发可以吗 领导今晚签不了" asks about 明早八点,
"昨天晚上没来得及发 今天上午发还能算数吗" about 今天上午); without such a verb, the last one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 6,
            "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
_DAY_WORDS = (("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("明早", 1), ("明晚", 1), ("明儿", 1),
              ("今天", 0), ("今日", 0), ("今晚", 0), ("今夜", 0), ("今早", 0), ("昨天", -1),
              ("昨晚", -1), ("昨日", -1), ("前天", -2))
# part of day → (default hour, add 12 to an hour below 12)
_PARTS = (("凌晨", 3, False), ("一大早", 7, False), ("大清早", 7, False), ("一早", 8, False), ("清早", 7, False),
          ("清晨", 7, False), ("早上", 9, False), ("早晨", 9, False), ("上午", 10, False),
          ("明早", 9, False), ("今早", 9, False), ("中午", 12, False), ("下午", 15, True), ("傍晚", 18, True),
          ("下班前", 18, True), ("下班", 18, True), ("晚上", 20, True), ("今晚", 20, True), ("明晚", 20, True),
          ("昨晚", 20, True), ("夜里", 22, True), ("半夜", 23, True), ("深夜", 23, True))
_NEXT_WEEK = re.compile(r"下(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天末1-7])")
_WEEK = re.compile(r"(这|本|下下|下个|下|上个|上)?\s*(?:周|星期|礼拜)\s*([一二三四五六日天末1-7])")
_MDAY = re.compile(r"(?:(20\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})(?:\s*[日号]|(?![\d个页万亿元%]))"
                   # 3.27发 / 3/26前: month and day with a dot or slash, not a decimal amount (3.27亿) or a fraction
                   r"|(?<![\d.])(?P<dm>\d{1,2})[./](?P<dd>\d{1,2})(?![\d.%万亿元页个千百十年月倍天小分秒])")
_DAY_ONLY = re.compile(r"(?<![月\d])(\d{1,2})\s*号")
_CLOCK = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?|(\d{1,2})\s*(?:点|时)\s*(?:过|零)?\s*(半|(\d{1,2})\s*分?)?")
_LATER = re.compile(r"(\d+(?:\.\d+)?)\s*(个)?\s*(半)?\s*(小时|钟头|分钟|分|天)\s*(?:以后|之后|后)|(半)\s*(?:个)?\s*(小时|钟头)\s*(?:以后|之后|后)"
                    # "再过两个钟头", "过半小时": the same span said before the unit
                    r"|(?:再过|等过|(?<![超不经])过)\s*(?:(\d+(?:\.\d+)?)\s*(个)?\s*(半)?|(半)\s*(?:个)?)\s*(小时|钟头|分钟)(?![前内])")
_NOW = ("现在", "马上", "立刻", "这会儿", "这个点", "眼下", "刚过", "已经过了", "都过了", "刚发", "刚刚", "刚才")
_BEFORE = ("前", "之前", "以前")
_AFTER = ("以后", "之后", "过了", "后")


@dataclass(frozen=True)
class When:
    at: datetime            # the moment meant (aware, the call's time zone)
    day_only: bool          # only a day was said (its midday stands for it)
    before: bool            # "…前": strictly before ``at``
    after: bool             # "过了…" / "…以后": after ``at``
    text: str               # the words recognised

    @property
    def moment(self) -> datetime:
        """The moment to judge: a second before ``at`` for "前", a minute after for "以后"."""
        if self.before:
            return self.at - timedelta(seconds=1)
        if self.after:
            return self.at + timedelta(minutes=1)
        return self.at


def _week_day(now_d: date, which: str | None, wd: int) -> date:
    monday = now_d - timedelta(days=now_d.weekday())
    weeks = {"下": 1, "下个": 1, "下下": 2, "上": -1, "上个": -1}.get(which or "", 0)
    d = monday + timedelta(weeks=weeks, days=wd)
    if not which and d < now_d:
        d += timedelta(weeks=1)           # a bare weekday already past: the coming one
    return d


_SEND_AFTER = re.compile(r"发|交|送|寄|传|报|递")
_GAP = 2                                  # characters allowed between the words of one expression


def _spans(t: str) -> list[tuple[int, int, str]]:
    """Every time word in ``t``: (start, end, kind) with kind day / part / clock / later / now."""
    out = []
    for w, _ in _DAY_WORDS:
        for m in re.finditer(w, t):
            out.append((m.start(), m.end(), "day"))
    for rx in (_WEEK, _NEXT_WEEK, _MDAY, _DAY_ONLY):
        out += [(m.start(), m.end(), "day") for m in rx.finditer(t)]
    out += [(m.start(), m.end(), "clock") for m in _CLOCK.finditer(t)]
    for w, _, _ in _PARTS:
        out += [(m.start(), m.end(), "part") for m in re.finditer(w, t)]
    out += [(m.start(), m.end(), "later") for m in _LATER.finditer(t)]
    for w in _NOW:
        out += [(m.start(), m.end(), "now") for m in re.finditer(w, t)]
    out.sort(key=lambda x: (x[0], -x[1]))
    kept, end = [], -1
    for sp in out:                        # the longest word at a place; words inside it are part of it
        if sp[0] >= end:
            kept.append(sp)
            end = sp[1]
        elif sp[1] > end and kept:
            kept[-1] = (kept[-1][0], sp[1], kept[-1][2])
            end = sp[1]
    return kept


def _expressions(t: str) -> list[tuple[int, int]]:
    """Time words grouped into expressions: neighbours (at most ``_GAP`` characters apart) of different kinds."""
    groups: list[list] = []
    for start, end, kind in _spans(t):
        g = groups[-1] if groups else None
        if g and start - g[1] <= _GAP and kind not in g[2] and "later" not in g[2] and kind not in ("later", "now") \
                and not (kind == "day" and "clock" in g[2]):
            g[1] = end
            g[2].add(kind)
        else:
            groups.append([start, end, {kind}])
    return [(g[0], g[1]) for g in groups]


def when_in(t: str, now: datetime) -> When | None:
    """The time a normalised, arabic-numbered message speaks of, or None. ``now`` is aware (call time zone)."""
    exprs = _expressions(t)
    if len(exprs) <= 1:
        return _when_in(t, now)
    chosen = None
    for k, (start, end) in enumerate(exprs):
        nxt = exprs[k + 1][0] if k + 1 < len(exprs) else len(t)
        if _SEND_AFTER.search(t[end:min(nxt, end + 6)]):
            chosen = k
    k = len(exprs) - 1 if chosen is None else chosen
    start, end = exprs[k]
    prev_end = exprs[k - 1][1] if k else 0
    nxt = exprs[k + 1][0] if k + 1 < len(exprs) else len(t)
    return _when_in(t[max(prev_end, start - 3):min(nxt, end + 3)], now)


def _when_in(t: str, now: datetime) -> When | None:
    """One expression (or a message with one)."""
    today = now.date()
    tz = now.tzinfo
    m = _LATER.search(t)
    if m:
        if m.group(7) or m.group(10):                     # 再过…: groups 7-11 mirror 1-6
            if m.group(10):
                delta = timedelta(minutes=30) if m.group(11) != "分钟" else timedelta(minutes=0.5)
            else:
                n = float(m.group(7)) + (0.5 if m.group(9) else 0)
                delta = timedelta(minutes=n) if m.group(11) == "分钟" else timedelta(hours=n)
        elif m.group(5):
            delta = timedelta(minutes=30)
        else:
            n = float(m.group(1)) + (0.5 if m.group(3) else 0)
            unit = m.group(4)
            delta = (timedelta(hours=n) if unit in ("小时", "钟头") else timedelta(days=n) if unit == "天"
                     else timedelta(minutes=n))
        return When(now + delta, False, False, False, m.group(0))
    day, day_text, day_pos = None, "", -1
    masked = t
    for w, off in _DAY_WORDS:            # longest words first; a found word is masked (大后天 is not 后天)
        j = masked.rfind(w)
        if j >= 0:
            masked = masked.replace(w, "\0" * len(w))
            if j > day_pos:
                day, day_text, day_pos = today + timedelta(days=off), w, j
    for m in _NEXT_WEEK.finditer(t):      # "下周发": next week at the earliest, its Monday
        if m.start() >= day_pos:
            day, day_text, day_pos = _week_day(today, "下", 0), m.group(0), m.start()
    for m in _WEEK.finditer(t):
        if m.start() >= day_pos:
            day, day_text, day_pos = _week_day(today, m.group(1), _WEEKDAY[m.group(2)]), m.group(0), m.start()
    for m in _MDAY.finditer(t):
        if m.start() >= day_pos:
            try:
                mo, dd = (m.group(2), m.group(3)) if m.group(2) else (m.group("dm"), m.group("dd"))
                day = date(int(m.group(1) or now.year), int(mo), int(dd))
                day_text, day_pos = m.group(0), m.start()
            except ValueError:
                pass
    if day is None:
        for m in _DAY_ONLY.finditer(t):
            try:
                day, day_text, day_pos = date(now.year, now.month, int(m.group(1))), m.group(0), m.start()
            except ValueError:
                pass
    clock = None
    for m in _CLOCK.finditer(t):
        clock = m
    part = None
    for w, hour, pm in _PARTS:
        if w in t:
            part = (w, hour, pm)
            break
    if clock is None and day is None and part is None:
        if any(w in t for w in _NOW):
            return When(now, False, False, False, next(w for w in _NOW if w in t))
        return None
    d = day or today
    if clock is not None:
        if clock.group(1):
            hh, mm, ss = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        else:
            hh = int(clock.group(4))
            mm = 30 if clock.group(5) == "半" else int(clock.group(6) or 0)
            ss = 0
        if part and part[2] and hh < 12:
            hh += 12
        elif part and part[0] in ("晚上", "今晚", "明晚", "夜里", "半夜", "深夜") and hh == 12:
            hh = 24
        elif (not part and day is None and not clock.group(1) and 1 <= hh <= 12 and now.hour >= 12
              and hh + 12 > now.hour):
            hh += 12                      # "11点半" said at 20:00 means 23:30
        elif day is None and hh < 6 and (hh, mm) < (now.hour - 1, now.minute) and now.hour >= 12:
            hh += 24                      # "零点过五分" / "凌晨一点" said in the evening: the coming night
        at = datetime.combine(d, time(0), tz) + timedelta(hours=hh, minutes=mm, seconds=ss)
        tail = t[clock.end():clock.end() + 3]
        before = tail.startswith(_BEFORE)
        head = t[max(0, clock.start() - 3):clock.start()]
        after = tail.startswith(("以后", "之后")) or "过了" in head or "过" == head[-1:]
        return When(at, False, before, after and not before, (day_text + " " if day_text else "") + clock.group(0))
    if part is not None:
        at = datetime.combine(d, time(part[1]), tz)
        if d == today and at < now:
            at = now
        return When(at, False, False, False, (day_text + " " if day_text else "") + part[0])
    return When(datetime.combine(d, time(12), tz), True, False, False, day_text)
