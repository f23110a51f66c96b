"""What to do about a finding, in plain Chinese (``bot/templates/advice.txt``; numbers from the call config)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from config.call import CallConfig

ADVICE_FILE = Path(__file__).parent / "templates" / "advice.txt"


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    out = {}
    for line in ADVICE_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#") and ":" in line:
            code, text = line.split(":", 1)
            out[code.strip()] = text.strip()
    return out


def advice_for(call: CallConfig, code: str) -> str:
    text = _table().get(code, _table().get("default", ""))
    lim = call.limits
    return Template(text).safe_substitute(
        plan_max_pages=lim.plan_max_pages, filing_max_pages=lim.filing_max_pages,
        deadline_text=call.deadline_text, quota=lim.quota_per_province,
        cap_yi=f"{lim.central_subsidy_cap_wan_yuan / 10000:g}", years=lim.max_implementation_years,
        mailboxes="、".join(m.address for m in call.mailboxes))
