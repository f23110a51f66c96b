"""CLI: ``call check FILE.toml`` (validate a call file, print its rules as the bot states them) and
``samples OUTDIR`` (write the demo's sample filings: .eml messages and the documents inside them)."""
from __future__ import annotations

import re
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from config.call import CallConfig


REQUIRED_LABEL = {True: "必须提交", False: "可选", "if_province_selected_in_prior_round": "往年已有示范项目的省份必须提交"}


def register(sub) -> None:
    p = sub.add_parser("call", help="申报通知配置：校验并显示规则 / call configuration")
    csub = p.add_subparsers(dest="call_command", metavar="SUBCOMMAND")
    c = csub.add_parser("check", help="validate a call TOML file and print its rules as the bot will state them")
    c.add_argument("file", type=Path, help="e.g. config/calls/2023.toml")
    c.set_defaults(func=cmd_call_check, no_db=True)
    p.set_defaults(func=lambda args, services: (p.print_help(), 2)[1], no_db=True)

    s = sub.add_parser("samples", help="write the sample filings (.eml and PDFs) to a folder to look at")
    s.add_argument("outdir", type=Path)
    s.set_defaults(func=cmd_samples, no_db=True)


# --- call check ---------------------------------------------------------------------------------
def validate(path: Path) -> tuple[CallConfig | None, list[str], list[str]]:
    from config.call import CallConfigError, load_call

    """(call or None, errors, warnings). Errors make the file unusable; warnings are gaps to fill."""
    try:
        call = load_call(path)
    except CallConfigError as exc:
        return None, [str(exc)], []
    except KeyError as exc:  # a nested table lacks a key parse_call reads directly
        return None, [f"{path}: missing key {exc}"], []
    except (TypeError, ValueError, AttributeError) as exc:
        return None, [f"{path}: {type(exc).__name__}: {exc}"], []
    errors, warnings = [], []
    lim = call.limits
    for name in ("plan_max_pages", "filing_max_pages", "quota_per_province", "central_subsidy_cap_wan_yuan",
                 "max_implementation_years"):
        if getattr(lim, name) <= 0:
            errors.append(f"limits.{name} must be positive, got {getattr(lim, name)}")
    if lim.plan_max_pages > lim.filing_max_pages:
        errors.append("limits.plan_max_pages is larger than limits.filing_max_pages")
    if call.published and call.deadline.astimezone(call.tz).date() < call.published:
        errors.append("call.deadline is before call.published")
    for m in call.mailboxes:
        if "@" not in m.address:
            errors.append(f"mailboxes.{m.key}.address is not an e-mail address: {m.address!r}")
    cp_names = {c.city for c in call.cp_cities}
    for p in call.provinces:
        if p.cp_city and p.cp_city not in cp_names:
            errors.append(f"provinces.{p.name}.cp_city {p.cp_city!r} is not listed in [[cp_cities]]")
    for kind in ("cover_letter", "plan", "budget", "performance_targets"):
        if call.document(kind) is None:
            warnings.append(f"没有配置材料类型 {kind}")
    if call.paper_copy_required and not call.paper_copy_address:
        warnings.append("纸质版邮寄地址未配置（通知未写明）")
    for s in call.selected:
        if not s.complete:
            warnings.append(f"{s.year}年入选城市名单不完整（已知{len(s.cities)}个），相关检查只能给出提示")
    unregistered = sum(1 for p in call.provinces if not p.senders)
    if unregistered:
        warnings.append(f"{unregistered}个省份没有登记发件地址，来信按主题、文件名和正文识别省份")
    return call, errors, warnings


_QUOTED = re.compile(r'"([^"]*)"')


def _curly(m: re.Match) -> str:
    return "\u201c" + m.group(1) + "\u201d"


def _clause(call: CallConfig, *needles: str) -> str:
    """The notice's own words for a rule, found by a phrase of its clause: （二(三)：“…”）."""
    for r in call.rules:
        if any(n in r.clause for n in needles):
            return f"（{r.section}：{_QUOTED.sub(_curly, r.clause.strip())}）"
    return ""


def describe(call: CallConfig) -> list[str]:
    """The rules of the call in Chinese, as the chatbot states them."""
    lim = call.limits
    local = call.deadline.astimezone(call.tz)
    last = local - timedelta(seconds=1)
    lines = [f"申报通知：{call.title}（{call.doc_no}）", f"发文单位：{'、'.join(call.issuers)}", ""]
    lines += ["【截止时间】",
              f"  {call.deadline_text}（北京时间）：服务器收到时间早于 {local:%Y-%m-%d %H:%M} 为按时，"
              f"最后一秒为 {last:%Y-%m-%d %H:%M:%S}；以收件服务器时间为准，不看发件人的 Date。",
              f"  逾期：{call.late_outcome}。依据{call.deadline_section}：“{call.deadline_clause}”", ""]
    lines.append("【接收邮箱】（通知要求发送到以下邮箱）")
    lines += [f"  - {m.address}（{m.org}）" for m in call.mailboxes]
    lines += ["", "【联系人】"] + [f"  - {c.org}：{c.name}，电话 {c.phone}，邮箱 {c.email}" for c in call.contacts]
    counted = "计入合计" if lim.prior_report_counts_toward_total else "不计入合计，单独显示（通知未明确，系统做法）"
    lines += ["", f"【页数】以{lim.page_unit}计算，含全部电子文档：",
              f"  实施方案不超过{lim.plan_max_pages}页{_clause(call, '实施方案不得超过')}",
              f"  申报文件合计不超过{lim.filing_max_pages}页{_clause(call, '申报文件不得超过')}",
              f"  非A4页面按面积折算（A3计2页，扫描尺寸容差{lim.a4_tolerance:.0%}，系统做法）；执行情况报告{counted}。"]
    cps = "、".join(f"{c.city}（{c.province}）" for c in call.cp_cities) or "无"
    lines += ["", "【推荐名额】",
              f"  每省{lim.quota_per_province}个地市{_clause(call, '择优选择')}",
              f"  含计划单列市的省如申报计划单列市，可再增加{lim.quota_extra_if_applying_for_cp_city}个名额"
              f"{_clause(call, '计划单列市')}",
              f"  计划单列市：{cps}"]
    cap = lim.central_subsidy_cap_wan_yuan
    cap_text = f"{cap / 10000:g}亿元" if cap % 1000 == 0 and cap >= 10000 else f"{cap}万元"
    lines += ["", f"【中央财政补助上限】每个示范项目不超过{cap_text}（{cap}万元）{_clause(call, '中央财政补助不超过')}",
              f"【实施期限】不超过{lim.max_implementation_years}年{_clause(call, '实施期限')}", ""]
    lines.append("【须提交的材料】")
    for i, d in enumerate(call.documents, 1):
        extra = f"，不超过{d.max_pages}页" if d.max_pages else ""
        lines.append(f"  {i}. {d.name}（{REQUIRED_LABEL.get(d.required, str(d.required))}{extra}；"
                     f"按名称识别：{'、'.join(d.match)}）")
    rounds = "、".join(str(y) for y in call.prior_report_rounds)
    lines += ["", "【往年示范项目与执行情况报告】",
              f"  {rounds}年已有示范项目的省份须一并报送执行情况报告{_clause(call, '执行情况报告')}",
              f"  已被评为示范项目的城市不得再次申报{_clause(call, '不得再次申报')}"]
    for s in call.selected:
        cities = "、".join(f"{c}（{p}）" for c, p in s.cities) or "（无）"
        state = "完整" if s.complete else "不完整，仅供参考：相关检查只给提示，不作为错误"
        known = "、".join(s.provinces_known_to_have_one)
        lines.append(f"  {s.year}年入选名单（{state}）：{cities}" + (f"；已知有项目的省：{known}" if known else ""))
    paper = call.paper_copy_address or "通知未明确，请联系联系人"
    lines += ["", f"【纸质版】{'须与电子版同时报送' if call.paper_copy_required else '不要求'}；邮寄地址：{paper}"]
    if call.open_questions:
        lines += ["", "【通知未明确的问题】机器人回答“通知未明确，请联系联系人”，并另行说明系统做法："]
        lines += [f"  {q.id} {q.text}" for q in call.open_questions]
    return lines


def cmd_call_check(args, services=None) -> int:
    """Validate a call file; exit 0 if usable, 2 if not (the message names the file and key)."""
    if not args.file.exists():
        from cli.errors import UserError

        raise UserError(f"通知配置文件 {args.file} 不存在（已有的：config/calls/2023.toml）",
                        f"call file {args.file} does not exist")
    call, errors, warnings = validate(args.file)
    if errors:
        print(f"配置文件无效：{args.file}", file=sys.stderr)
        for e in errors:
            print(f"  错误：{e}", file=sys.stderr)
        return 2
    print(f"配置文件有效：{args.file}（通知 {call.id}，{len(call.provinces)}个省级单位，{len(call.rules)}条规则）")
    print()
    print("\n".join(describe(call)))
    if warnings:
        print("\n【配置提示】")
        print("\n".join(f"  - {w}" for w in warnings))
    return 0


# --- samples ------------------------------------------------------------------------------------
def write_samples(call: CallConfig, outdir: Path, scenarios: list | None = None) -> tuple[list, float]:
    """Write each scenario as ``NN-name.eml`` (as delivered to its first mailbox) plus its files."""
    from demo.samples.scenarios import build_scenarios

    t = time.perf_counter()
    scenarios = scenarios if scenarios is not None else build_scenarios(call)
    elapsed = time.perf_counter() - t
    outdir.mkdir(parents=True, exist_ok=True)
    for i, s in enumerate(scenarios, 1):
        stem = f"{i:02d}-{s.name}"
        (outdir / f"{stem}.eml").write_bytes(s.delivered(s.mailboxes[0]))
        folder = outdir / stem
        folder.mkdir(exist_ok=True)
        for f in s.files:
            (folder / f.filename.replace("/", "_")).write_bytes(f.data)
    return scenarios, elapsed


def cmd_samples(args, services) -> int:
    """Write the demo's sample filings to OUTDIR for a person to open."""
    scenarios, elapsed = write_samples(services.call, args.outdir)
    tz = services.call.tz
    print(f"生成 {len(scenarios)} 封样例邮件，用时 {elapsed:.1f} 秒，写入 {args.outdir}")
    for i, s in enumerate(scenarios, 1):
        boxes = "、".join(services.call.mailbox(k).address for k in s.mailboxes)
        print(f"{i:02d} {s.name}: {s.title}\n    到达 {s.arrives_at.astimezone(tz):%Y-%m-%d %H:%M:%S}（{boxes}）"
              f"\n    预期：{s.expected}")
    return 0
