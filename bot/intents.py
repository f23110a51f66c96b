"""Commands (``/status``) and binding codes: the exact part of the chat. Free text is read by ``bot.understand``.

``classify`` maps a command to its intent with its arguments and slots; a message that is no command gives
``free_text`` (the engine hands it to ``bot.answering``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from config.call import CallConfig

from bot.access import looks_like_code
from bot.normalize import normalize
from bot.slots import Slots, extract

COMMANDS = {
    "start": "help", "help": "help", "帮助": "help",
    "status": "status", "状态": "status", "rules": "rules", "规则": "rules", "contacts": "contacts",
    "联系人": "contacts", "deadline": "deadline", "截止": "deadline", "mailbox": "mailboxes",
    "bind": "bind", "绑定": "bind", "unbind": "unbind",
    # officer commands
    "overview": "overview", "总览": "overview", "dossier": "dossier", "unidentified": "unidentified",
    "未识别": "unidentified", "assign": "assign", "confirm": "confirm", "kind": "set_kind", "cities": "set_cities",
    "subsidy": "set_subsidy", "补助": "set_subsidy", "period": "set_period", "实施期": "set_period",
    "paper": "paper_copy", "override": "override", "code": "issue_code", "revoke": "revoke",
    "bindings": "bindings",
}
OFFICER_INTENTS = {"overview", "unidentified", "assign", "confirm", "set_kind", "set_cities", "set_subsidy", "set_period",
                   "paper_copy", "override",
                   "issue_code", "revoke", "bindings"}
DATA_INTENTS = {"status", "dossier"}          # one province's data: own province only, unless officer


@dataclass
class Intent:
    name: str
    args: list[str] = field(default_factory=list)   # command arguments, original spelling
    slots: Slots = field(default_factory=Slots)
    focus: str = "all"
    rule_id: str | None = None
    text: str = ""                                  # normalised text


def parse_command(raw: str) -> tuple[str, list[str]] | None:
    s = raw.strip()
    if not s.startswith(("/", "／")):
        return None
    head, _, rest = s[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return name, rest.split()


def is_free_text(raw: str) -> bool:
    """Not a command and not a binding code: the message goes to ``bot.understand``."""
    return classify(raw, None).name == "free_text"


def classify(raw: str, call: CallConfig | None) -> Intent:
    """The command or binding request in ``raw``; ``free_text`` for anything else. ``call`` None: no slots."""
    cmd = parse_command(raw)
    if cmd is not None:
        name, args = cmd
        intent = COMMANDS.get(name, "unknown_command")
        text = normalize(" ".join(args))
        slots = extract(text, call) if call is not None and text else Slots()
        it = Intent(intent, args, slots, text=text)
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
    return Intent("free_text", text=t)
