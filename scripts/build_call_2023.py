"""One-off generator: builds config/calls/2023.toml from ../shared/reference (kept for provenance).

Usage: python scripts/build_call_2023.py ../shared/reference > config/calls/2023.toml
"""
import re
import sys
import tomllib
from pathlib import Path

ref = Path(sys.argv[1])
src = tomllib.loads((ref / "call-2023.toml").read_text())
facts = (ref / "domain-facts.md").read_text()
r = src["rounds"]["2023"]


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def arr(xs) -> str:
    return "[" + ", ".join(q(x) if isinstance(x, str) else str(x) for x in xs) + "]"


out = []
w = out.append
w("# Call configuration: 财办社〔2023〕22号. Every rule the system enforces or states comes from here.")
w("# Generated from ../shared/reference/call-2023.toml and domain-facts.md by scripts/build_call_2023.py,")
w("# then kept by hand. Values the notice does not give stay empty and are reported as such.")
w("schema_version = 1")
w("")
w("[call]")
w('id = "2023"')
w(f'doc_no = {q(r["doc_no"])}')
w(f'title = {q(r["title"])}')
w(f'programme = {q(src["programme"])}')
w(f'issuers = {arr(r["issuers"])}')
w(f'signed = {r["signed"]}')
w(f'published = {r["published"]}')
w(f'timezone = {q(src["timezone"])}')
w(f'deadline_text = {q(r["deadline_text"])}')
w("deadline = 2023-03-27T00:00:00+08:00   # exclusive: on time means received_at < deadline")
w('deadline_clause = "2023年3月26日24时前发送财政部、人力资源社会保障部邮箱，逾期发送的视为未申报。"')
w('deadline_section = "二（三）"')
w(f'late_outcome = {q(r["late_outcome"])}')
w("paper_copy_required = true")
w('paper_copy_address = ""                 # not given in the notice (open question O7)')
w("")
w("[limits]")
w(f'page_unit = {q(r["page_unit"])}')
for k in ("plan_max_pages", "filing_max_pages", "quota_per_province", "quota_extra_if_applying_for_cp_city",
          "central_subsidy_cap_wan_yuan", "max_implementation_years"):
    w(f"{k} = {r[k]}")
w("prior_report_counts_toward_total = false   # system practice for open question O2; shown apart")
w("a4_tolerance = 0.12                      # relative area tolerance for scanner page sizes")
w("")
mb = [("mof", "sbsjyc@163.com", "财政部社会保障司"), ("mohrss", "jysmohrss@163.com", "人力资源社会保障部就业促进司")]
for key, addr, org in mb:
    w("[[mailboxes]]")
    w(f'key = "{key}"')
    w(f'address = "{addr}"')
    w(f'org = "{org}"')
    w("")
for c in r["contacts"]:
    w("[[contacts]]")
    for k in ("org", "name", "phone", "email"):
        w(f"{k} = {q(c[k])}")
    w("")
kinds = {"plan": "plan", "budget": "budget", "perf_targets": "performance_targets", "evidence": "evidence",
         "prior_report": "prior_report"}
w("[[documents]]")
w('kind = "cover_letter"')
w('name = "申报文件（联合行文）"')
w('match = ["申报文件", "请示", "报送", "推荐", "关于申报", "联合行文"]')
w("required = true")
w("")
for a in r["required_attachments"]:
    w("[[documents]]")
    w(f'kind = "{kinds[a["id"]]}"')
    w(f'name = {q(a["name"])}')
    w(f'match = {arr(a["match"])}')
    req = a["required"]
    w(f'required = {"true" if req is True else q(req)}')
    if "max_pages" in a:
        w(f'max_pages = {a["max_pages"]}')
    if "expected_terms" in a:
        w(f'expected_terms = {arr(a["expected_terms"])}')
    w("")
for p in src["provinces"]:
    w("[[provinces]]")
    w(f'name = {q(p["name"])}')
    w(f'code = {q(p["code"])}')
    w(f'type = {q(p["type"])}')
    w(f'abbr = {q(p["abbr"])}')
    short = p["name"]
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
        if short.endswith(suffix) and short != "新疆生产建设兵团":
            short = short[: -len(suffix)]
            break
    aliases = sorted({p["name"], short} | ({"兵团"} if p["type"] == "兵团" else set()))
    w(f"aliases = {arr(aliases)}")
    w(f'finance = {q(p["finance"])}')
    w(f'hrss = {q(p["hrss"])}')
    if "cp_city" in p:
        w(f'cp_city = {q(p["cp_city"])}')
    w("senders = []                          # registered sender addresses (officers add more)")
    w("")
for c in src["cp_cities"]:
    w("[[cp_cities]]")
    for k in ("city", "province", "finance", "hrss"):
        w(f"{k} = {q(c[k])}")
    w("")
for year, s in sorted(src["selected"].items()):
    w("[[selected]]")
    w(f"year = {year}")
    w(f'complete = {"true" if s["complete"] else "false"}')
    cities = ", ".join("{ city = %s, province = %s }" % (q(c["city"]), q(c["province"])) for c in s.get("cities", []))
    w(f"cities = [{cities}]")
    w(f'provinces_known_to_have_one = {arr(s.get("provinces_known_to_have_one", []))}')
    w("")
w("[prior_report]")
w(f'required_from_provinces_selected_in = {arr(r["prior_report_required_from_provinces_selected_in"])}')
w(f'name = {q(r["prior_report_name"])}')
w("")
w("[name_matching]")
w(f'hrss_variants = {arr(src["name_matching"]["hrss_variants"])}')
w(f'ambiguous_abbr = {arr(src["name_matching"]["ambiguous_abbr"])}')
w("")
# Rules base R01-R35 from the markdown table. The clause is stored as the notice's own words: the table's
# quotation marks dropped, separate quotations ("a""b" or "a"；"b") joined by "；", "same as R08" resolved,
# sections in 全角 brackets.
rows = [m.groups() for line in facts.splitlines()
        if (m := re.match(r"\| (R\d\d) \| (.+?) \| (.+?) \| (.+?) \| (.+) \|$", line))]
raw_clause = {r[0]: r[4] for r in rows}


def notice_words(rid: str) -> str:
    c = raw_clause[rid].strip()
    if c.lower().startswith("same as "):
        return notice_words(c.split()[-1])
    return c.replace('""', "；").replace('"', "")


for rid, text, check, section, _clause in rows:
    w("[[rules]]")
    w(f'id = "{rid}"')
    w(f"text = {q(text)}")
    w(f"check = {q(check)}")
    w(f"section = {q(section.replace('(', '（').replace(')', '）'))}")
    w(f"clause = {q(notice_words(rid))}")
    w("")
for line in facts.splitlines():
    m = re.match(r"- (O\d) (.+)$", line)
    if m:
        w("[[open_questions]]")
        w(f'id = "{m.group(1)}"')
        w(f"text = {q(m.group(2))}")
        w("")
print("\n".join(out))
