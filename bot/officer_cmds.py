"""Officer commands from chat: thin calls into core.officer / bot.access."""
from __future__ import annotations

from datetime import date

from core.services import Services

from bot import answer_types as A
from bot.access import issue_code, revoke
from bot.compose import beijing
from bot.slots import find_date

KIND_WORDS = {"申报文件": "cover_letter", "请示": "cover_letter", "实施方案": "plan", "方案": "plan",
              "资金预算表": "budget", "预算表": "budget", "绩效目标表": "performance_targets",
              "佐证材料": "evidence", "佐证": "evidence", "执行情况报告": "prior_report", "其他": "other"}
STATUS_WORDS = {"已申报": "filed", "逾期": "late", "未申报": "not_filed", "clear": None, "清除": None}
USAGE = {
    "assign": "用法：/assign 编号(S000012 或 R000012) 省份 理由",
    "confirm": "用法：/confirm 编号(S000012) 理由（采用发件人未认证或未登记的报送）",
    "set_kind": "用法：/kind 文件号 类型(plan/实施方案…) 理由",
    "set_cities": "用法：/cities 省份 城市1,城市2 理由（城市写“清除”则按材料识别）",
    "set_subsidy": "用法：/subsidy 省份 金额(9800万元、1.2亿元；“清除”则按材料识别) 理由",
    "set_period": "用法：/period 省份 实施期限(24个月、2年、2023年4月至2025年3月；“清除”则按材料识别) 理由",
    "paper_copy": "用法：/paper 省份 日期(2023-03-25) 快递单号",
    "override": "用法：/override 省份 filed|late|not_filed|clear 理由",
    "issue_code": "用法：/code 省份",
    "revoke": "用法：/revoke 省份 或 /revoke telegram:用户ID",
}


class Usage(ValueError):
    pass


def _province(services: Services, word: str) -> str:
    try:
        return services.call.province(word.strip()).name
    except KeyError:
        from bot.slots import provinces_in
        from bot.normalize import normalize

        found = list(provinces_in(normalize(word), services.call))
        if len(found) == 1:
            return found[0]
        raise Usage(f"不认识的省份：{word}") from None


async def run(services: Services, intent: str, args: list[str], actor: str):
    """Run one officer command; return an answer. Errors become ActionFailed with the usage line."""
    from core.officer import OfficerError

    await services.need_db()
    try:
        return await _run(services, intent, args, actor)
    except (Usage, OfficerError, IndexError) as exc:
        msg = str(exc) if not isinstance(exc, IndexError) else "参数不全"
        return A.ActionFailed(msg, USAGE.get(intent, ""))


async def _run(services: Services, intent: str, args: list[str], actor: str):
    from core import officer
    from core.officer import set_cities, set_document_kind

    if intent == "assign":
        if len(args) < 3:
            raise Usage("参数不全")
        return A.ActionDone(await officer.assign(services, args[0], _province(services, args[1]),
                                                 reason=" ".join(args[2:]), actor=actor))
    if intent == "confirm":
        if len(args) < 2:
            raise Usage("参数不全")
        return A.ActionDone(await officer.confirm_submission(services, args[0], reason=" ".join(args[1:]), actor=actor))
    if intent == "set_kind":
        if len(args) < 3 or not args[0].lstrip("#").isdigit():
            raise Usage("参数不全")
        kind = KIND_WORDS.get(args[1], args[1])
        doc = await set_document_kind(services, int(args[0].lstrip("#")), kind, reason=" ".join(args[2:]), actor=actor)
        return A.ActionDone(f"文件 {doc.id}「{doc.filename}」类型已改为 {kind}")
    if intent == "set_cities":
        if len(args) < 3:
            raise Usage("参数不全")
        prov = _province(services, args[0])
        cities = [] if args[1] in ("清除", "clear") else [c for c in args[1].replace("，", ",").replace("、", ",").split(",")]
        d = await set_cities(services, prov, cities, reason=" ".join(args[2:]), actor=actor)
        return A.ActionDone(f"{prov} 申报城市：{'、'.join(d.cities or []) or '（已清除，按申报材料识别）'}")
    if intent in ("set_subsidy", "set_period"):
        if len(args) < 3:
            raise Usage(USAGE[intent])
        prov = _province(services, args[0])
        clear = args[1] in ("清除", "clear")
        if intent == "set_subsidy":
            wan = None if clear else officer.parse_amount_wan(args[1])
            await officer.set_subsidy(services, prov, wan, reason=" ".join(args[2:]), actor=actor)
            shown = "（已清除，按申报材料识别）" if clear else f"{wan:g} 万元（处室更正）"
            return A.ActionDone(f"{prov} 中央财政补助：{shown}")
        months = None if clear else officer.parse_months(args[1])
        await officer.set_period(services, prov, months, reason=" ".join(args[2:]), actor=actor)
        shown = "（已清除，按申报材料识别）" if clear else f"{months} 个月（处室更正）"
        return A.ActionDone(f"{prov} 实施期限：{shown}")
    if intent == "paper_copy":
        if len(args) < 3:
            raise Usage("参数不全")
        when: date | None = find_date(args[1])
        if when is None:
            raise Usage(f"日期格式不对：{args[1]}")
        return A.ActionDone(await officer.set_paper_copy(services, _province(services, args[0]), date=when,
                                                         tracking=args[2], actor=actor))
    if intent == "override":
        if len(args) < 3:
            raise Usage("改判必须写明理由")
        word = args[1].lower()
        if word not in STATUS_WORDS and word not in ("filed", "late", "not_filed"):
            raise Usage(f"状态只能是 filed / late / not_filed / clear：{args[1]}")
        status = STATUS_WORDS.get(word, word)
        return A.ActionDone(await officer.override_status(services, _province(services, args[0]), status,
                                                          reason=" ".join(args[2:]), actor=actor))
    if intent == "issue_code":
        if not args:
            raise Usage("参数不全")
        prov = _province(services, args[0])
        code, row = await issue_code(services, prov, actor=actor)
        return A.CodeIssued(prov, code, beijing(services.call, row.expires_at)[:16])
    if intent == "revoke":
        if not args:
            raise Usage("参数不全")
        target = args[0] if ":" in args[0] else _province(services, args[0])
        n = await revoke(services, target, actor=actor)
        return A.ActionDone(f"已解除 {target} 的 {n} 个绑定")
    if intent == "bindings":
        from models.chat import ChatBinding

        rows = await ChatBinding.filter(revoked_at__isnull=True).order_by("province", "id")
        return A.BindingsAnswer([(f"{b.channel}:{b.user_id}", b.province, beijing(services.call, b.bound_at)[:16],
                                  b.chat_id or "—") for b in rows])
    raise Usage(f"未知命令 {intent}")
