"""Requests to change what the register holds, in a contact's words ("把我们改成按时吧", "帮我们把页数改成28页",
"能不能帮我们改成按时"): only officers correct the record, so the bot refuses them (``record_change``). A question
about the rules that only sounds like one ("方案改成8页可以吗", "把青岛换成烟台可以吗") is not such a request."""
from __future__ import annotations

import re

_CHANGE_VERB = (r"改成|改为|改一下|改掉|改过来|更正|修改|删掉|删了|删除|撤销|撤回|撤掉|作废|去掉|取消|换掉|替换|标成|标为|算成|算作|"
                r"当成|当作|按.{0,3}处理|判成|判为|改判|登记成|记成|记为")
_CHANGE_REQ = re.compile(rf"(?:把|将|帮我们?|给我们?|请|麻烦|你们)[^?？]{{0,16}}(?:{_CHANGE_VERB})"
                         rf"|(?:{_CHANGE_VERB})[^?？]{{0,3}}(?:按时|准时|已申报|有效|正常|没问题)")
_OUR_RECORD_CHANGE = re.compile(rf"(?:把|将|帮|给)(?:我们|我省|咱们)(?:的)?[^?？]{{0,10}}(?:{_CHANGE_VERB})")
_ASK_US_TO_CHANGE = re.compile(rf"(?:帮|给|替)(?:我们|我省|咱们)[^?？]{{0,10}}(?:{_CHANGE_VERB})")
A_QUESTION = re.compile(r"吗|么|可以不|行不|能不能|能否|可不可以|是否|怎么|如何|会不会|要不要|[?？]$")


def is_question(t: str) -> bool:
    return bool(A_QUESTION.search(t))


def changes_record(t: str, sl) -> bool:
    """A contact asking the bot to change what the register holds ("把我们改成按时吧", "把第一次那份删掉"): only
    officers change the record. A question about the rules with numbers or cities ("方案改成8页行吗",
    "把青岛换成烟台可以吗") is not such a request."""
    if _ASK_US_TO_CHANGE.search(t):                 # "能不能帮我们改成按时": a request, even as a question
        return True
    if A_QUESTION.search(t):
        return False
    if _OUR_RECORD_CHANGE.search(t):                 # "把我们页数改成30页吧": our record, whatever it names
        return True
    if sl.pages.any or sl.amount_wan is not None or sl.months is not None or sl.cities:
        return False
    return bool(_CHANGE_REQ.search(t))
