"""Times as people type them, one parser for the CLI and the chat: absolute (ISO-8601, ``2023/03/26``,
``2023年3月26日18时``, ``3月26日 18:00``) and relative to an injected ``now`` (今天 / 明天 / 昨天 / 前天 /
后天, ``截止`` = the deadline). A date without a time of day is that day's end in Beijing time
(``2023-03-26`` → 23:59:59, "as of the end of that day"), unless ``start_of_day``.

Returns an aware datetime in UTC; raises ``ValueError`` with a Chinese explanation on anything else.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

RELATIVE_DAYS = {"前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2,
                 "today": 0, "yesterday": -1, "tomorrow": 1}
_DATE = re.compile(r"^(?:(?P<y>\d{4})\s*[-./年]\s*)?(?P<m>\d{1,2})\s*[-./月]\s*(?P<d>\d{1,2})\s*[日号]?")
_TIME = re.compile(r"^(?:(?P<ampm>上午|早上|凌晨|中午|下午|晚上|傍晚))?\s*(?P<h>\d{1,2})\s*(?:[:：时点](?P<mi>\d{1,2})?\s*(?:分)?"
                   r"(?:[:：](?P<s>\d{1,2})\s*秒?)?)?\s*(?:(?P<half>半))?$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９：－／．", "0123456789:-/.")
_ZH_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
HINT = "例如 2023-03-26、2023/03/26 18:00、3月26日18时、明天、截止（北京时间）"


def _zh_numbers(text: str) -> str:
    """``二十六`` → ``26``, ``十八`` → ``18`` (enough for dates and hours)."""
    def conv(m: re.Match) -> str:
        s = m.group(0)
        if "十" in s:
            tens, _, ones = s.partition("十")
            return str((_ZH_NUM.get(tens, 1) if tens else 1) * 10 + (_ZH_NUM.get(ones, 0) if ones else 0))
        return "".join(str(_ZH_NUM[c]) for c in s)
    return re.sub(r"[零〇一二两三四五六七八九十]+", conv, text)


def parse_when(text: str, *, now: datetime, tz: ZoneInfo, deadline: datetime | None = None,
               start_of_day: bool = False) -> datetime:
    raw = (text or "").strip()
    if not raw:
        raise ValueError(f"时间为空；{HINT}")
    s = _zh_numbers(raw.translate(_FULLWIDTH)).strip()
    low = s.lower()
    if low in ("now", "现在", "此刻"):
        return now.astimezone(timezone.utc)
    if deadline is not None and low in ("截止", "截止时间", "deadline", "截止时"):
        return deadline.astimezone(timezone.utc)
    try:                                   # ISO-8601 first: 2023-03-26T08:30+08:00, 2023-03-26 23:00
        dt = datetime.fromisoformat(s)
        if len(s) <= 10:                   # a bare date
            raise ValueError
        return (dt if dt.tzinfo else dt.replace(tzinfo=tz)).astimezone(timezone.utc)
    except ValueError:
        pass
    local_now = now.astimezone(tz)
    day: date | None = None
    rest = s
    for word, delta in RELATIVE_DAYS.items():
        if low.startswith(word):
            day, rest = local_now.date() + timedelta(days=delta), s[len(word):]
            break
    if day is None:
        m = _DATE.match(s)
        if not m:
            raise ValueError(f"看不懂的时间“{raw}”；{HINT}")
        # no year: the call's year (its deadline's) when known — 3月26日 means this call's 26 March
        year = int(m.group("y")) if m.group("y") else (deadline.astimezone(tz).year if deadline else local_now.year)
        try:
            day = date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            raise ValueError(f"没有这一天：“{raw}”；{HINT}") from None
        rest = s[m.end():]
    rest = rest.strip().lstrip("T").strip()
    if not rest:
        at = time(0, 0) if start_of_day else time(23, 59, 59)
    else:
        m = _TIME.match(rest)
        if not m:
            raise ValueError(f"看不懂时间里的“{rest}”；{HINT}")
        h, mi, sec = int(m.group("h")), int(m.group("mi") or 0), int(m.group("s") or 0)
        if m.group("half"):
            mi = 30
        if m.group("ampm") in ("下午", "晚上", "傍晚") and h < 12:
            h += 12
        if h == 24 and mi == 0 and sec == 0:     # 26日24时 = 27日0时 (the notice's own wording)
            day, h = day + timedelta(days=1), 0
        if h > 23 or mi > 59 or sec > 59:
            raise ValueError(f"没有这个时刻：“{raw}”；{HINT}")
        at = time(h, mi, sec)
    return datetime.combine(day, at, tzinfo=tz).astimezone(timezone.utc)
