"""Intent classification for commands and free Chinese text, with slot extraction.

Commands (``/status``) map straight to intents. Free text is matched in a fixed order: binding codes,
own-data questions (收到了吗 / 哪里有问题 / 还差什么), officer words, contacts, mailboxes, deadline, materials,
quota, then rule retrieval; what matches nothing gets the help.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from config.call import CallConfig

from bot.access import looks_like_code
from bot.normalize import normalize
from bot.retrieval import index_for
from bot.slots import Slots, extract

COMMANDS = {
    "start": "help", "help": "help", "帮助": "help",
    "status": "status", "状态": "status", "rules": "rules", "规则": "rules", "contacts": "contacts",
    "联系人": "contacts", "deadline": "deadline", "截止": "deadline", "mailbox": "mailboxes",
    "bind": "bind", "绑定": "bind", "unbind": "unbind",
    # officer commands
    "overview": "overview", "总览": "overview", "dossier": "dossier", "unidentified": "unidentified",
    "未识别": "unidentified", "assign": "assign", "kind": "set_kind", "cities": "set_cities",
    "subsidy": "set_subsidy", "补助": "set_subsidy", "period": "set_period", "实施期": "set_period",
    "paper": "paper_copy", "override": "override", "code": "issue_code", "revoke": "revoke",
    "bindings": "bindings",
}
OFFICER_INTENTS = {"overview", "unidentified", "assign", "set_kind", "set_cities", "set_subsidy", "set_period",
                   "paper_copy", "override",
                   "issue_code", "revoke", "bindings"}
DATA_INTENTS = {"status", "dossier"}          # one province's data: own province only, unless officer

RULE_MIN_SCORE = 9.0

_OWN = ("我们", "我省", "我市", "本省", "咱们", "我方", "我单位", "我们的", "俺们")
_RECEIPT = ("收到了吗", "收到没", "收到了没", "收到吗", "到了吗", "到了没", "收到", "到没到", "查收")
_STATUS = ("状态", "进度", "情况", "怎么样", "如何了", "结果", "审核", "通过了吗", "合格")
_PROBLEMS = ("问题", "错误", "不合格", "要改", "哪里不对", "毛病", "需要修改", "怎么改", "有误")
_MISSING = ("还差", "缺什么", "缺少", "少了", "漏了", "补什么", "缺哪", "还缺", "差什么", "差哪")
_PAPER = ("纸质版", "纸质")
_COUNTDOWN = ("还有多久", "还剩", "倒计时", "还有几天", "剩几天", "多长时间", "还有多少时间", "剩多少")
_FOLLOWUP = re.compile(r"^(那|那么|那个)?(.{1,12}?)(的)?(呢|情况|怎么样|如何|咋样)?\??$")
_OVERVIEW = ("总览", "概况", "汇总", "全部省", "所有省", "各省", "全国", "哪些省", "多少省", "几个省", "统计")
_UNIDENT = ("未识别", "没识别", "无法识别", "识别不了", "不明来源", "未归属", "待分配", "unidentified")
_CONTACTS = ("联系人", "联系方式", "电话", "找谁", "咨询谁", "打给谁", "联系谁", "手机")
_MAILBOX = ("邮箱", "发到哪", "发送到哪", "发哪", "email", "邮件地址")
_DEADLINE = ("截止", "截至", "最晚", "deadline", "几号前", "什么时候交", "什么时候报", "什么时候发", "何时截止",
             "时间节点", "几号交", "哪天截止", "期限是")
_MATERIALS = ("哪些材料", "什么材料", "附哪些", "附什么", "需要提交", "需要附", "要交什么", "要准备", "材料清单",
              "需要哪些", "需要什么材料", "要附", "提交哪些", "包括哪些")
_QUOTA = ("名额", "几个城市", "几个地市", "报几个", "两个吗", "两个城市", "能报", "可以报", "报几")
_HELLO = ("你好", "您好", "hi", "hello", "在吗", "怎么用", "能做什么", "帮助", "help", "谢谢")


@dataclass
class Intent:
    name: str
    args: list[str] = field(default_factory=list)   # command arguments, original spelling
    slots: Slots = field(default_factory=Slots)
    focus: str = "all"
    rule_id: str | None = None                      # R13 / O5 for rule answers
    text: str = ""                                  # normalised text


def _has(t: str, words) -> bool:
    return any(w in t for w in words)


def parse_command(raw: str) -> tuple[str, list[str]] | None:
    s = raw.strip()
    if not s.startswith(("/", "／")):
        return None
    head, _, rest = s[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return name, rest.split()


def classify(raw: str, call: CallConfig) -> Intent:
    cmd = parse_command(raw)
    if cmd is not None:
        name, args = cmd
        intent = COMMANDS.get(name, "unknown_command")
        text = normalize(" ".join(args))
        it = Intent(intent, args, extract(text, call), text=text)
        if intent == "rules" and args:
            return _rule_or_help(text, call, it.slots)
        if intent == "status" and it.slots.provinces:
            it.name = "dossier"
        return it
    t = normalize(raw)
    code = looks_like_code(t)
    if code and len(t.replace("-", "").replace(" ", "")) == 8:
        return Intent("bind", [code], text=t)
    if t.startswith(("绑定", "bind")):
        rest = t.removeprefix("绑定").removeprefix("bind").strip(" :")
        return Intent("bind", [rest] if rest else [], text=t)
    slots = extract(t, call, want_cities=_has(t, _QUOTA) or "报" in t)
    it = Intent("unknown", slots=slots, text=t)

    def own(focus: str) -> Intent:
        it.name, it.focus = ("dossier" if slots.provinces else "status"), focus
        return it

    if _has(t, _COUNTDOWN) and not slots.provinces:
        it.name = "countdown"
        return it
    if _has(t, _UNIDENT):
        it.name = "unidentified"
        return it
    if _has(t, _OVERVIEW) and not slots.provinces:
        it.name = "overview"
        return it
    if _has(t, _PAPER) and _has(t, ("登记", "收到了", "到了吗", "到了没", "记录")):
        return own("paper")
    if _has(t, _CONTACTS):
        it.name = "contacts"
        return it
    if _has(t, _MISSING):
        return own("missing")
    if _has(t, _PROBLEMS) and (_has(t, _OWN) or slots.provinces or len(t) <= 8):
        return own("problems")
    if _has(t, _RECEIPT) and not _has(t, ("确认", "回执")):
        return own("receipt")
    if (_has(t, _OWN) or slots.provinces) and _has(t, _STATUS):
        return own("all")
    if slots.provinces and not _has(t, _QUOTA):
        rest = t
        for forms in slots.forms.values():
            for f in forms:
                rest = rest.replace(f, "")
        if _FOLLOWUP.match(t) and len(rest.strip(" ?,.的呢")) <= 4:
            return own("all")
    if (_has(t, _QUOTA) or "报" in t) and (slots.cities or _has(t, ("名额", "几个"))):
        it.name = "quota"
        return it
    if _has(t, _DEADLINE) and not _has(t, ("实施期", "几年", "超大附件", "链接", "纸质")):
        it.name = "deadline"
        return it
    if _has(t, _MATERIALS):
        it.name = "materials"
        return it
    if _has(t, _MAILBOX) and not _has(t, ("一个邮箱", "只发", "其中一个", "单个邮箱", "漏发")):
        it.name = "mailboxes"
        return it
    ruled = _rule_or_help(t, call, slots)
    if ruled.name == "unknown" and _has(t, _HELLO):
        ruled.name = "help"
    return ruled


def _rule_or_help(t: str, call: CallConfig, slots: Slots) -> Intent:
    hits = index_for(call).search(t)
    if hits and hits[0].score >= RULE_MIN_SCORE:
        return Intent("open_question" if hits[0].id.startswith("O") else "rule", slots=slots,
                      rule_id=hits[0].id, text=t)
    return Intent("unknown", slots=slots, text=t)
