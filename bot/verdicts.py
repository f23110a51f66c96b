"""Verdict functions: yes/no computed from the asker's numbers and the call config, with the arithmetic shown.

Each returns a ``Verdict`` (``ok`` True = allowed / within the limit / on time) whose lines say how it was
reached, or None when the slots do not decide it. No number here comes from code: limits, quota, the deadline
and the selected cities are the call config's.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from config.call import CallConfig

from bot.answer_types import Verdict
from bot.numbers import Pages
from bot.when import When

WEEKDAYS = "一二三四五六日"


def local_text(call: CallConfig, when: datetime, seconds: bool = False) -> str:
    t = call.to_local(when)
    return t.strftime("%m月%d日 %H:%M:%S" if seconds else "%m月%d日 %H:%M") + f"（星期{WEEKDAYS[t.weekday()]}）"


def quota_limit(call: CallConfig, province: str, cities: list[str]) -> tuple[int, list[str]]:
    """The quota of ``province`` for ``cities``, and the arithmetic."""
    lim = call.limits
    p = call.province(province)
    q = lim.quota_per_province
    lines = [f"名额：每省 {lim.quota_per_province} 个"]
    if p.cp_city and p.cp_city in cities:
        q += lim.quota_extra_if_applying_for_cp_city
        lines[0] += f" + 申报计划单列市{p.cp_city}再加 {lim.quota_extra_if_applying_for_cp_city} 个 = {q} 个"
    elif p.cp_city:
        lines[0] += f"（{p.cp_city}是本省的计划单列市，只有申报{p.cp_city}时才可再加 " \
                    f"{lim.quota_extra_if_applying_for_cp_city} 个）"
    else:
        lines[0] += "（本省没有计划单列市，不能增加）"
    return q, lines


def previously_selected(call: CallConfig, cities: list[str]) -> list[tuple[str, int]]:
    """Cities already selected in a round before this call's (R17), from the call config's lists."""
    year = int(call.id) if call.id.isdigit() else 10 ** 6
    return [(c, rnd.year) for rnd in call.selected if rnd.year < year for c, _ in rnd.cities if c in cities]


def quota(call: CallConfig, province: str, cities: list[str], count: int | None) -> Verdict | None:
    p = call.province(province)
    lim = call.limits
    if cities:
        q, lines = quota_limit(call, province, cities)
        n = len(cities)
        prev = previously_selected(call, cities)
        lines.append(f"申报：{'、'.join(cities)}，共 {n} 个{'，不超过' if n <= q else '，超过'}名额 {q} 个")
        if prev:
            lines.append("；".join(f"{c}已于{y}年被评为示范项目，不得再次申报" for c, y in prev))
            return Verdict(False, f"{province}申报 {'、'.join(cities)} 共 {n} 个：其中" + "、".join(c for c, _ in prev)
                           + "已入选过，不得再次申报", lines)
        if n <= q:
            return Verdict(True, f"{province}申报 {'、'.join(cities)} 共 {n} 个，名额为 {q} 个", lines)
        return Verdict(False, f"{province}申报 {'、'.join(cities)} 共 {n} 个，超过名额（{q} 个）", lines)
    if count:
        base = lim.quota_per_province
        top = base + (lim.quota_extra_if_applying_for_cp_city if p.cp_city else 0)
        _, lines = quota_limit(call, province, [])
        if count <= base:
            return Verdict(True, f"{province}申报 {count} 个地市，在名额（{base} 个）以内", lines)
        if count > top:
            return Verdict(False, f"{province}申报 {count} 个地市，超过名额（最多 {top} 个）", lines)
        return Verdict(None, f"{province}申报 {count} 个地市：只有其中一个是计划单列市{p.cp_city}时才可以"
                             f"（名额 {base} 个，申报{p.cp_city}再加 {lim.quota_extra_if_applying_for_cp_city} 个）", lines)
    return None


def plan_pages(call: CallConfig, pages: Pages) -> Verdict | None:
    if pages.plan is None:
        return None
    lim = call.limits.plan_max_pages
    ok = pages.plan <= lim
    return Verdict(ok, f"实施方案 {pages.plan} 页，{'不超过' if ok else '超过'} {lim} 页的上限",
                   [f"实施方案：{pages.plan} 页 {'≤' if ok else '>'} {lim} 页"])


def total_pages(call: CallConfig, pages: Pages) -> Verdict | None:
    total = pages.total
    if total is None:
        return None
    lim = call.limits.filing_max_pages
    comps = {k: v for k, v in pages.parts.items() if k != "prior_report"}
    lines = [f"合计：{pages.basis}"] if pages.basis else []
    if pages.total_stated is None and comps:
        lines.append("合计：" + " + ".join(str(v) for v in comps.values()) + f" = {total} 页")
    ok = total <= lim
    lines.append(f"全部电子文档：{total} 页 {'≤' if ok else '>'} {lim} 页")
    return Verdict(ok, f"申报文件合计 {total} 页，{'不超过' if ok else '超过'} {lim} 页的上限", lines)


def pages(call: CallConfig, p: Pages) -> Verdict | None:
    """Both page limits where the message gives numbers for them: one failing limit fails."""
    vs = [v for v in (plan_pages(call, p), total_pages(call, p)) if v is not None]
    if not vs:
        return None
    if len(vs) == 1:
        return vs[0]
    ok = all(v.ok for v in vs)
    bad = [v for v in vs if not v.ok]
    return Verdict(ok, "；".join(v.conclusion for v in (bad or vs)), [ln for v in vs for ln in v.lines])


def cap(call: CallConfig, wan: float | None, basis: str = "") -> Verdict | None:
    """``basis``: how a follow-up's amount was reached ("9000 万元 + 2000 万元")."""
    if wan is None:
        return None
    lim = call.limits.central_subsidy_cap_wan_yuan
    ok = wan <= lim
    amount = f"{wan:g} 万元" + (f"（{wan / 10000:g} 亿元）" if wan >= 1000 else "")
    return Verdict(ok, f"中央财政补助 {amount}，{'不超过' if ok else '超过'}上限 {lim / 10000:g} 亿元（{lim} 万元）",
                   ([f"合计：{basis} = {wan:g} 万元"] if basis else []) +
                   [f"中央财政补助：{wan:g} 万元 {'≤' if ok else '>'} {lim} 万元"])


def period(call: CallConfig, months: float | None) -> Verdict | None:
    if months is None:
        return None
    years = call.limits.max_implementation_years
    ok = months <= years * 12
    return Verdict(ok, f"实施期限 {months:g} 个月，{'不超过' if ok else '超过'} {years} 年（{years * 12} 个月）",
                   [f"实施期限：{months:g} 个月 {'≤' if ok else '>'} {years * 12} 个月"])


def deadline(call: CallConfig, when: When, now: datetime, statement: bool = False) -> Verdict:
    """On time or not: the moment meant against the (exclusive) deadline. ``statement``: the asker states the
    deadline itself ("截止是明晚12点对吧") and asks whether that is right."""
    dl = call.deadline
    last = local_text(call, dl - timedelta(seconds=1), seconds=True)
    if statement:
        ok = abs((when.at - dl).total_seconds()) <= 60 or (when.day_only and call.to_local(when.at).date()
                                                             == call.to_local(dl - timedelta(seconds=1)).date())
        return Verdict(ok, f"截止时间是{call.deadline_text}（北京时间），即{local_text(call, dl)}之前" +
                       ("，您说的对" if ok else f"；您说的“{when.text}”是{local_text(call, when.at)}，不对"),
                       [f"您说的：{when.text} = {local_text(call, when.at)}", f"截止：早于 {local_text(call, dl)}"])
    m = when.moment
    ok = m < dl
    said = local_text(call, m if not when.day_only else when.at)
    if when.day_only:
        said = call.to_local(when.at).strftime("%m月%d日") + f"（星期{WEEKDAYS[call.to_local(when.at).weekday()]}）当天"
    lines = [f"现在：{local_text(call, now)}", f"您说的“{when.text}”：{said}",
             f"截止：邮件须在 {local_text(call, dl)} 之前到达邮箱（最后一刻 {last}）"]
    if ok:
        return Verdict(True, f"{said}发送，在截止（{call.deadline_text}）之前，按时；以邮件到达邮箱的时间为准，"
                             "请留出传输时间", lines)
    return Verdict(False, f"{said}已过截止（{call.deadline_text}），逾期发送的{call.late_outcome}", lines)
