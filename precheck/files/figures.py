"""Facts read from text and tables: central subsidy, implementation period, cities, departments (pure)."""
from __future__ import annotations

import re

_NUM = r"(\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(亿元|万元|元)"
_CENTRAL = re.compile(r"中央(?:财政)?(?:补助|补贴|资金|财政资金|专项资金)[^\d\n]{0,20}?" + _NUM + r"\s*" + _UNIT + "?")
_UNIT_HINT = re.compile(r"(?:单位|金额单位)\s*[:：]?\s*(亿元|万元|元)")
_FACTOR = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


def _num(s: str) -> float:
    return float(s.replace(",", "").replace("，", ""))


def subsidy_from_text(text: str) -> dict | None:
    """The central subsidy in 万元: "中央财政补助资金 8000 万元", or a table row with a 单位 hint."""
    hint = _UNIT_HINT.search(text)
    for m in _CENTRAL.finditer(text):
        unit = m.group(2) or (hint.group(1) if hint else None)
        if unit is None:
            continue
        return {"wan_yuan": round(_num(m.group(1)) * _FACTOR[unit], 4), "unit": unit,
                "evidence": m.group(0)[:80].replace("\n", " ")}
    return None


def subsidy_from_rows(rows: list[list[str]], unit_hint: str | None) -> dict | None:
    """A table (xlsx cells or pdfplumber rows): a cell naming 中央 and the first number to its right,
    or a header cell naming 中央 and the number below it."""
    unit = unit_hint
    for row in rows:
        for c in row:
            h = _UNIT_HINT.search(c or "")
            if h:
                unit = h.group(1)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            cell = (cell or "").replace("\n", "")
            if "中央" not in cell or "补助" not in cell and "资金" not in cell:
                continue
            u = next((x for x in _FACTOR if x in cell), unit)
            value = _first_number(row[c + 1:])
            if value is None and r + 1 < len(rows) and c < len(rows[r + 1]):
                value = _first_number(rows[r + 1][c:c + 1])
            if value is not None and u:
                return {"wan_yuan": round(value * _FACTOR[u], 4), "unit": u, "evidence": f"{cell} {value:g}{u}"}
    return None


def _first_number(cells) -> float | None:
    for c in cells:
        m = re.fullmatch(r"\s*" + _NUM + r"\s*", str(c or ""))
        if m:
            return _num(m.group(1))
    return None


_RANGE = re.compile(r"(20\d\d)\s*年?(?:\s*(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日)?\s*(?:[-—–~～至到]|——)\s*(20\d\d)\s*年(?:\s*(\d{1,2})\s*月)?")
_YEARS = re.compile(r"(?:实施期限?|项目期限|执行期限?|实施周期|建设期限?)\s*(?:为|是|[:：])?\s*([一二两三四五1-5])\s*年")


def period_from_text(text: str) -> dict | None:
    """The implementation period in years: "实施期限：2年", "实施期 2023年—2024年", "2023年4月至2025年3月"."""
    m = _YEARS.search(text)
    if m:
        return {"years": float(_CN_NUM[m.group(1)]), "evidence": m.group(0)}
    for key in re.finditer(r"实施期|项目期限|执行期|实施周期|建设期|实施时间", text):
        window = text[key.start(): key.start() + 60]
        r = _RANGE.search(window)
        if r:
            y0, m0, y1, m1 = int(r.group(1)), r.group(2), int(r.group(3)), r.group(4)
            if m0 and m1:
                months = (y1 - y0) * 12 + int(m1) - int(m0) + 1
                years = round(months / 12, 2)
            else:
                years = float(y1 - y0 + 1)
            return {"years": years, "start": y0, "end": y1, "evidence": r.group(0)}
    return None


_CITY = re.compile(r"([\u4e00-\u9fff]{1,7}?(?:市|自治州|地区|盟))")
_NOT_CITY = ("城市", "地市", "本市", "各市", "全市", "该市", "市场", "示范市", "申报市", "设区市", "县级市", "有关市")


def cities_from_title(title: str, province_names: tuple[str, ...]) -> list[str]:
    """Cities named in a cover-letter or plan title, e.g. "关于推荐青岛市、济南市申报…的请示"."""
    found = []
    core = re.sub(r"(财政局|财政厅|人力资源和?社会保障局|人力资源和?社会保障厅|人社局|人社厅)", "|", title)
    for m in _CITY.finditer(core):
        name = m.group(1)
        for trigger in ("关于", "推荐", "申报", "报送", "同意", "支持", "和", "及", "与", "、"):
            if trigger in name[:-1] and len(name.split(trigger)[-1]) >= 2:
                name = name.split(trigger)[-1]
        for p in province_names:
            short = p.rstrip("省市").replace("自治区", "")
            for cand in (p, short):
                if name.startswith(cand) and len(name) > len(cand) + 1:
                    name = name[len(cand):]
        if len(name) < 2 or name in _NOT_CITY or any(name.endswith(x) for x in _NOT_CITY) or name in province_names:
            continue
        if name not in found:
            found.append(name)
    return found


def departments(text: str, hrss_variants: tuple[str, ...]) -> dict:
    """Whether the text names a finance department and an HRSS department (joint issuance, R01)."""
    fin = re.search(r"[\u4e00-\u9fff]{0,12}财政(?:厅|局)", text)
    hrss_pat = "|".join(re.escape(v) for v in hrss_variants)
    hr = re.search(rf"[\u4e00-\u9fff]{{0,12}}(?:{hrss_pat})(?:厅|局)", text)
    return {"finance": fin.group(0) if fin else None, "hrss": hr.group(0) if hr else None}


def title_of(text: str, max_len: int = 120) -> str:
    """The document title: the first lines with a 关于…/方案/表/报告 shape, else the first non-empty lines."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:25]
    for ln in lines[:6]:
        if re.search(r"的(?:请示|函|报告|通知)$", ln):
            return ln[:max_len]
    joined = "".join(lines)
    m = re.search(r"关于[^。\n]{2,80}?(?:请示|函|报告|通知)", joined)
    if m:
        return m.group(0)[:max_len]
    for ln in lines[:12]:
        if re.search(r"(实施方案|预算表|目标表|申报表|执行情况报告|佐证材料|情况报告)", ln):
            return ln[:max_len]
    return " ".join(lines[:3])[:max_len]
