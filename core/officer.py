"""Officer actions: assign a submission, paper copy, override a verdict, and corrections the checks depend on
(a document's kind, a province's cities). Every one goes to the audit log and re-runs the dossier, in one
transaction with the change (the province's kept state never shows half an action). Shared by CLI and chat."""
from __future__ import annotations

from tortoise.transactions import atomic

from config.call import DOCUMENT_KINDS
from core.dossier import refresh_dossier
from core.services import Services
from core.submission_findings import refresh_submission_findings
from models import audit_log
from models.dossier import Dossier, KnownSender
from models.receipt import Receipt
from models.submission import Document, Submission


class OfficerError(ValueError):
    """The action cannot be done as asked; the message is Chinese, for the officer."""


async def find_submission(ref: str) -> Submission:
    ref = ref.strip().upper()
    try:
        num = int(ref[1:])
    except ValueError:
        raise OfficerError(f"编号格式不对：{ref}（应为 S000012 或 R000012）") from None
    if ref.startswith("S"):
        sub = await Submission.filter(id=num).first()
    elif ref.startswith("R"):
        r = await Receipt.filter(id=num).first()
        sub = await Submission.filter(id=r.submission_id).first() if r and r.submission_id else None
    else:
        sub = None
    if sub is None:
        raise OfficerError(f"找不到 {ref}（若刚收到，请稍后再试）")
    return sub


@atomic()
async def assign(services: Services, ref: str, province: str, *, reason: str, actor: str,
                 confirm_sender: bool = False) -> str:
    if not reason.strip():
        raise OfficerError("必须填写理由")
    try:
        prov = services.call.province(province.strip())
    except KeyError:
        raise OfficerError(f"不认识的省份：{province}") from None
    sub = await find_submission(ref)
    old = sub.province
    sub.province = prov.name
    sub.attribution = {"method": "officer", "evidence": {"actor": actor, "reason": reason},
                       "registered_sender": confirm_sender, "previous": old}
    previous_trust = sub.sender_trust
    sub.sender_trust = "officer"            # an officer looked at it: it ranks as verified (policy 8)
    sub.unrelated = False
    sub.updated_at = services.clock.now()
    await sub.save()
    if confirm_sender and sub.sender:
        await KnownSender.update_or_create(address=sub.sender, defaults={
            "province": prov.name, "confirmed_by": actor, "created_at": services.clock.now()})
    await audit_log.append(at=services.clock.now(), actor=actor, action="assign_province", target=sub.ref,
                           detail={"province": prov.name, "previous": old, "reason": reason,
                                   "confirm_sender": confirm_sender, "previous_trust": previous_trust})
    await refresh_submission_findings(services, sub)
    for p in {x for x in (old, prov.name) if x}:
        await refresh_dossier(services, p)
    return f"{sub.ref} 已归入{prov.name}（原：{old or '未识别'}）"


@atomic()
async def confirm_submission(services: Services, ref: str, *, reason: str, actor: str) -> str:
    """Accept a submission whose sender is not verified (policy 8): it then ranks as verified, so its documents
    apply like those of an authenticated registered sender. Audited; the dossier is recomputed."""
    if not reason.strip():
        raise OfficerError("必须填写理由（例如：已电话核实）")
    sub = await find_submission(ref)
    if not sub.province:
        raise OfficerError(f"{sub.ref} 尚未归属省份，请先用 /assign 编号 省份 理由")
    if sub.sender_trust == "officer":
        return f"{sub.ref} 此前已确认"
    previous = sub.sender_trust
    sub.sender_trust = "officer"
    sub.updated_at = services.clock.now()
    await sub.save(update_fields=["sender_trust", "updated_at"])
    await audit_log.append(at=services.clock.now(), actor=actor, action="confirm_submission", target=sub.ref,
                           detail={"province": sub.province, "previous_trust": previous, "reason": reason,
                                   "sender": sub.sender})
    await refresh_submission_findings(services, sub)
    await refresh_dossier(services, sub.province)
    return f"{sub.ref} 已确认为{sub.province}的报送（原：{previous or '未判定'}），其材料按时间顺序参与认定"


@atomic()
async def set_paper_copy(services: Services, province: str, *, date, tracking: str, actor: str) -> str:
    prov = services.call.province(province)
    d, _ = await Dossier.get_or_create(call_id=services.call.id, province=prov.name,
                                       defaults={"updated_at": services.clock.now()})
    d.paper_copy_date, d.paper_copy_tracking = date, tracking
    await d.save()
    await audit_log.append(at=services.clock.now(), actor=actor, action="paper_copy", target=prov.name,
                           detail={"date": str(date), "tracking": tracking})
    await refresh_dossier(services, prov.name)
    return f"{prov.name} 纸质版已登记：{date}，单号 {tracking}"


@atomic()
async def override_status(services: Services, province: str, status: str | None, *, reason: str, actor: str) -> str:
    if not reason.strip():
        raise OfficerError("改变判定必须填写理由")
    prov = services.call.province(province)
    if status not in (None, "filed", "late", "not_filed"):
        raise OfficerError("状态只能是 filed / late / not_filed（或清除）")
    d, _ = await Dossier.get_or_create(call_id=services.call.id, province=prov.name,
                                       defaults={"updated_at": services.clock.now()})
    prev = d.override_status
    d.override_status, d.override_reason = status, reason
    await d.save()
    await audit_log.append(at=services.clock.now(), actor=actor, action="override_status", target=prov.name,
                           detail={"status": status, "previous": prev, "reason": reason})
    await refresh_dossier(services, prov.name)
    return f"{prov.name} 判定已改为 {status or '（按系统判定）'}，理由：{reason}"


@atomic()
async def set_document_kind(services: Services, doc_id: int, kind: str, *, reason: str, actor: str) -> Document:
    if kind not in DOCUMENT_KINDS:
        raise OfficerError(f"未知的文件类型 {kind}；可选：{'、'.join(DOCUMENT_KINDS)}")
    if not reason.strip():
        raise OfficerError("请说明更正理由（--reason）")
    doc = await Document.get_or_none(id=doc_id).prefetch_related("submission")
    if doc is None:
        raise OfficerError(f"找不到文件 {doc_id}")
    old = {"kind": doc.kind, "kind_source": doc.kind_source, "kind_confidence": doc.kind_confidence}
    doc.kind, doc.kind_source, doc.kind_confidence = kind, "officer", 1.0
    ev = dict(doc.kind_evidence or {})
    ev["officer"] = {"actor": actor, "reason": reason, "previous": old}
    doc.kind_evidence = ev
    await doc.save()
    await audit_log.append(at=services.clock.now(), actor=actor, action="document.kind", target=f"document:{doc.id}",
                           detail={"kind": kind, "previous": old, "reason": reason, "filename": doc.filename})
    sub = doc.submission
    if sub.province and sub.on_time:
        await refresh_dossier(services, sub.province)
    return doc


@atomic()
async def set_cities(services: Services, province: str, cities: list[str], *, reason: str, actor: str) -> Dossier:
    try:
        province = services.call.province(province).name
    except KeyError:
        raise OfficerError(f"未知的省份 {province}") from None
    if not reason.strip():
        raise OfficerError("请说明更正理由（--reason）")
    cities = [c.strip() for c in cities if c.strip()]
    now = services.clock.now()
    dossier, _ = await Dossier.get_or_create(call_id=services.call.id, province=province,
                                             defaults={"updated_at": now})
    old = {"cities": dossier.cities, "cities_source": dossier.cities_source}
    dossier.cities, dossier.cities_source, dossier.updated_at = cities or None, "officer" if cities else None, now
    await dossier.save()
    await audit_log.append(at=now, actor=actor, action="dossier.cities", target=f"dossier:{province}",
                           detail={"cities": cities, "previous": old, "reason": reason})
    await refresh_dossier(services, province)
    return dossier


async def _set_correction(services: Services, province: str, key: str, value: dict | None, *, reason: str,
                          actor: str) -> Dossier:
    try:
        province = services.call.province(province).name
    except KeyError:
        raise OfficerError(f"未知的省份 {province}") from None
    if not reason.strip():
        raise OfficerError("请说明更正理由（--reason）")
    now = services.clock.now()
    dossier, _ = await Dossier.get_or_create(call_id=services.call.id, province=province,
                                             defaults={"updated_at": now})
    corrections = dict(dossier.corrections or {})
    previous = corrections.get(key)
    if value is None:
        corrections.pop(key, None)
    else:
        corrections[key] = {**value, "actor": actor, "reason": reason, "at": now.isoformat()}
    dossier.corrections, dossier.updated_at = corrections or None, now
    await dossier.save()
    await audit_log.append(at=now, actor=actor, action=f"dossier.{key}", target=f"dossier:{province}",
                           detail={key: value, "previous": previous, "reason": reason})
    await refresh_dossier(services, province)
    return dossier


async def set_subsidy(services: Services, province: str, wan_yuan: float | None, *, reason: str,
                      actor: str) -> Dossier:
    """The central subsidy (万元) an officer read off the filing; beats what the machine read. None clears it."""
    if wan_yuan is not None and not 0 < wan_yuan < 1_000_000:
        raise OfficerError(f"金额不合理：{wan_yuan:g} 万元")
    return await _set_correction(services, province, "subsidy",
                                 None if wan_yuan is None else {"wan_yuan": float(wan_yuan)}, reason=reason, actor=actor)


async def set_period(services: Services, province: str, months: int | None, *, reason: str, actor: str) -> Dossier:
    """The implementation period (months) an officer read off the filing; beats what the machine read."""
    if months is not None and not 0 < months <= 120:
        raise OfficerError(f"实施期限不合理：{months} 个月")
    value = None if months is None else {"months": int(months), "years": round(months / 12, 2)}
    return await _set_correction(services, province, "period", value, reason=reason, actor=actor)


def parse_amount_wan(text: str) -> float:
    """What an officer types for an amount: 9800 / 9,800万元 / 9800万 / 1.2亿 / 98000000元 / 玖仟捌佰万元 → 万元."""
    import re

    from precheck.reading.numbers import AMOUNT, amount_wan, to_number

    t = text.strip().replace(" ", "")
    m = AMOUNT.fullmatch(t)
    if m:
        v = amount_wan(m.group("num"), m.group("unit"))
    else:
        n = to_number(re.sub(r"万$", "", t)) if t.endswith("万") else to_number(re.sub(r"亿$", "", t))
        v = None if n is None else (n * 10000 if t.endswith("亿") else n)
    if v is None:
        raise OfficerError(f"看不懂的金额：{text}（例：9800 或 9800万元 或 1.2亿元）")
    return v


def parse_months(text: str) -> int:
    """2年 / 两年 / 24个月 / 18 (months) / 2023年4月至2025年3月 → months."""
    from precheck.reading.period import read_period
    from precheck.reading.intake import text_page

    t = text.strip()
    if t.isdigit():
        return int(t)
    p = read_period([text_page(0, "实施期限：" + t)])
    if not p:
        raise OfficerError(f"看不懂的实施期限：{text}（例：24个月、2年、2023年4月至2025年3月）")
    return p["months"]
