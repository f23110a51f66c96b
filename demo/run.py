"""Run the demo: start the real intake, deliver the sample filings, OCR, register, digest, sample chat."""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable

from config.call import load_call
from config.clock import FixedClock
from config.settings import load_settings
from core.archive import Archive
from demo.deliver import imap_append, smtp_deliver, wait_processed
from demo.localimap import LocalImapServer, dovecot_unavailable
from demo.setup import demo_environ, prepare_data_dir
from core.services import Services

log = logging.getLogger("shenbao.demo")
IMAP_MAILBOX = "mohrss"   # with a local IMAP server, this mailbox's copies arrive by IMAP APPEND


@dataclass
class DemoOptions:
    data_dir: Path
    ocr_seconds: float = 150.0    # background OCR budget (most urgent pages first; 0: skip)
    imap: bool = True             # use a local Dovecot when possible
    chat: bool = True
    wiped: bool | None = None     # None: run_demo prepares (wipes) the data dir itself


@dataclass
class DemoResult:
    seconds: float = 0.0
    imap: bool = False
    delivered: int = 0
    receipts: int = 0
    ocr_done: int = 0
    digest_paths: list[Path] = field(default_factory=list)
    receipts_sent: int = 0
    digest_mailed: bool = False
    timings: dict[str, float] = field(default_factory=dict)


class Progress:
    def __init__(self, say: Callable[[str], None]):
        self.say = say
        self.t0 = time.perf_counter()
        self.mark = self.t0

    def step(self, text: str) -> None:
        self.say(f"[{time.perf_counter() - self.t0:5.1f}s] {text}")

    def lap(self) -> float:
        now = time.perf_counter()
        out, self.mark = now - self.mark, now
        return out


async def _register_senders(services: Services, scenarios) -> int:
    from models.dossier import KnownSender

    n = 0
    for s in scenarios:
        if s.register_sender and s.province:
            _, created = await KnownSender.get_or_create(address=s.sender, defaults={
                "province": s.province, "confirmed_by": "demo", "created_at": services.clock.now()})
            n += created
    return n


async def _outcome(services: Services) -> str:
    """What the last processed receipt became: 'S000003 广东省 已申报' or 'S000008 未识别'."""
    from models.dossier import Dossier
    from core.vocabulary import PROVINCE_STATUS_ZH
    from models.receipt import Receipt
    from models.submission import Submission

    r = await Receipt.all().order_by("-id").first()
    sub = await Submission.filter(id=r.submission_id).first() if r and r.submission_id else None
    if sub is None:
        return f"{r.ref if r else '?'} {r.status if r else ''}"
    if not sub.province:
        return f"{sub.ref} 未识别（进入待认领队列）"
    d = await Dossier.filter(call_id=services.call.id, province=sub.province).first()
    zh = PROVINCE_STATUS_ZH.get(d.status, d.status) if d else "?"
    return f"{sub.ref} {sub.province} {zh}"


async def deliver_all(services: Services, clock: FixedClock, daemon, scenarios, imap: LocalImapServer | None,
                      p: Progress) -> tuple[int, int]:
    """All scenarios in arrival order (a progress bar on a terminal); returns (delivered, receipts expected)."""
    from cli.progress import progress

    total = 0
    with progress("投递示例申报", len(scenarios)) as bar:
        for i, s in enumerate(scenarios, 1):
            total = await _deliver_one(services, clock, daemon, s, i, len(scenarios), imap, p, total)
            bar.advance()
    return len(scenarios), total


async def _deliver_one(services, clock, daemon, s, i: int, n: int, imap, p: Progress, total: int) -> int:
    """One scenario at its arrival time: SMTP (and IMAP APPEND for one mailbox); wait until processed."""
    call, host = services.call, services.settings.smtp_host
    clock.set(s.arrives_at)
    local = call.to_local(s.arrives_at)
    by_smtp = [k for k in s.mailboxes if imap is None or k != IMAP_MAILBOX]
    by_imap = [k for k in s.mailboxes if imap is not None and k == IMAP_MAILBOX]
    t = time.perf_counter()
    parts = []
    if by_smtp:
        await smtp_deliver(host, daemon.smtp_port, s.sender, [call.mailbox(k).address for k in by_smtp],
                           s.message)
        parts.append("SMTP→" + "+".join(by_smtp) + " ✓")
    for k in by_imap:
        await imap_append(imap.host, imap.port, k, imap.password, s.delivered(k), s.arrives_at)
        parts.append(f"IMAP APPEND→{k} ✓")
    total += len(s.mailboxes)
    await wait_processed(total)
    outcome = await _outcome(services)
    p.step(f"{i:2d}/{n} 已投递并处理  {local:%m-%d %H:%M:%S}  {s.title}")
    p.say(f"{'':9}{'  '.join(parts)}  → {outcome}（{time.perf_counter() - t:.1f} s）")
    return total


async def run_ocr(services: Services, budget: float, p: Progress) -> int:
    """The background OCR queue, most urgent first (on-time cover letters, then budgets, targets, plans …), one
    round at a time until nothing is pending or the budget is spent; the rest is left to the intake process."""
    import os

    from intake.ocr_backlog import pending_documents, run_background_ocr
    from precheck.ocr_worker import OcrPool

    todo = await pending_documents(1000)
    if not todo:
        p.step("OCR：没有待识别的扫描件")
        return 0
    if budget <= 0:
        p.step(f"OCR：跳过（{len(todo)} 份扫描件待识别；intake 进程空闲时会在后台识别）")
        return 0
    workers = max(1, min(2, os.cpu_count() or 1))
    p.step(f"OCR 进行中：{len(todo)} 份扫描件待识别（先识别按时报送的申报文件、预算表），{workers} 个识别进程，"
           f"最多 {budget:.0f} 秒 …")
    pool = OcrPool(workers)
    end, rounds = time.perf_counter() + budget, 0
    try:
        while time.perf_counter() < end:
            nxt = await pending_documents(workers)
            if not nxt:
                break
            t = time.perf_counter()
            ids = await run_background_ocr(services, limit=workers, pool=pool)
            if not ids:
                break
            rounds += len(ids)
            names = "、".join(d.filename[:24] for d in nxt[:len(ids)])
            p.step(f"OCR 第 {rounds} 轮：{names}（{time.perf_counter() - t:.1f} s）")
    finally:
        pool.close()
    left = len(await pending_documents(1000))
    if left:
        p.step(f"OCR：时间到，还有 {left} 份留给 intake 进程的后台识别")
    return rounds


async def sample_chat(services: Services, say: Callable[[str], None]) -> None:
    from bot.engine import Engine
    from bot.terminal import terminal_caller

    engine = Engine(services)
    gd = services.call.province("广东省").name
    rounds = [(f"{gd}联系人", terminal_caller(province=gd), ["我们的材料收到了吗？", "哪里有问题？"]),
              ("部里工作人员", terminal_caller(officer=True), ["总览", "未识别的邮件"]),
              ("任何人（未绑定）", terminal_caller(user="visitor"),
               ["截止时间是什么时候？", "实施方案最多几页？", "山东能报青岛和济南两个吗？"])]
    for who, caller, questions in rounds:
        for q in questions:
            reply = await engine.handle(caller, q)
            say(f"\n【{who}】问：{q}")
            say(reply.text)


async def send_mail(services: Services, sink, now, say: Callable[[str], None], res: DemoResult) -> None:
    """What the bot process does after the deadline: a 回执 to each sender, the final digest to the staff
    list — through the real outbox and SMTP relay code, into the local sink."""
    from bot.acknowledgements import queue_receipts
    from bot.digest.job import queue_digest
    from bot.mail import EmailOutboxSender, SmtpRelay
    from bot.outbox import Senders, drain

    out = services.settings.outgoing
    refs = await queue_receipts(services, out, now)
    await queue_digest(services, out, slot="demo:final", kind="final", slot_at=now, now=now)
    relay = SmtpRelay.from_settings(services.settings)
    senders = Senders(email=EmailOutboxSender(relay, mail_from=out.mail_from, archive=services.archive,
                                              clock=services.clock))
    r = await drain(senders, services.clock)
    receipts = [(to, m) for to, m in sink.messages if "回执" in str(m["Subject"])]
    digests = [(to, m) for to, m in sink.messages if "汇总" in str(m["Subject"]) or "登记" in str(m["Subject"])]
    res.receipts_sent, res.digest_mailed = len(receipts), bool(digests)
    say("\n" + "=" * 30 + f" 发出的邮件（本地 SMTP 收件箱 127.0.0.1:{sink.port}，{r}）" + "=" * 30)
    say(f"回执：{len(receipts)} 封（{', '.join(refs)}），发给各省的发件地址。广东省收到的回执：")
    gd = next((m for to, m in receipts if any("gd" in t or "guangdong" in t for t in to)), receipts[0][1] if receipts else None)
    if gd is not None:
        body = gd.get_body(("plain",)).get_content()
        say(f"  收件人：{gd['To']}\n  主题：{gd['Subject']}\n" + "\n".join(f"  │ {x}" for x in body.splitlines()[:18]))
    for to, m in digests:
        atts = [p.get_filename() for p in m.iter_attachments()]
        say(f"汇总邮件：收件人 {', '.join(to)}；主题 {m['Subject']}；附件 {', '.join(atts)}")
    say(f"（每封都另存为 .eml：{sink.folder}）")


async def run_demo(opts: DemoOptions, say: Callable[[str], None] = print) -> DemoResult:
    from bot.digest.job import collect_digest, render_all, write_files
    from cli.register_cmds import format_register
    from core.register import build_register
    from demo.samples.scenarios import build_scenarios
    from models import close_db, init_db

    res, p = DemoResult(), Progress(say)
    data_dir = opts.data_dir.expanduser().resolve()
    wiped = prepare_data_dir(data_dir) if opts.wiped is None else opts.wiped
    p.step(f"数据目录 {data_dir}（每次运行都会清空并重建{'，已清空旧数据' if wiped else ''}）")
    call = load_call("2023")
    why_not = dovecot_unavailable() if opts.imap else "已用 --no-imap 关闭"
    imap = LocalImapServer() if why_not is None else None

    p.step("生成示例申报邮件（项目自己的代码生成：带印章的扫描版PDF、文字版PDF、xlsx/docx、GBK文件名的zip）…")
    built = asyncio.create_task(asyncio.to_thread(build_scenarios, call))
    stack: list = []
    try:
        if imap is not None:
            try:
                await asyncio.to_thread(imap.start)
            except RuntimeError as exc:          # e.g. a broken dovecot install: the demo goes on, SMTP only
                log.warning("local Dovecot did not start: %s", exc)
                imap.cleanup()
                imap, why_not = None, f"本地 Dovecot 未能启动（{str(exc)[:200]}）"
        scenarios = await built
        res.timings["build"] = p.lap()
        p.step(f"已生成 {len(scenarios)} 封邮件，{sum(len(s.message) for s in scenarios) / 1e6:.1f} MB")
        from demo.sink import SmtpSink

        sink = SmtpSink(data_dir / "sent-mail").start()
        stack.append(sink.stop)
        env = demo_environ(data_dir, imap, call.id, sink.port)
        settings = load_settings(env)
        clock = FixedClock(scenarios[0].arrives_at - timedelta(hours=1))
        services = Services(settings=settings, call=call, clock=clock, archive=Archive(settings.archive_dir))
        from precheck.places import use_cache

        use_cache(settings.cache_dir)
        await init_db(settings.database_url)
        try:
            res.imap = imap is not None
            await _run_intake(services, clock, scenarios, imap, why_not, p, res, opts)
            now = call.deadline + settings.outgoing.final_delay
            clock.set(now)
            reg = await build_register(call, now)
            say("\n" + "=" * 30 + " 收件登记 " + "=" * 30)
            say(format_register(reg, services))
            d = await collect_digest(services, settings.outgoing, now, kind="final")
            res.digest_paths = await write_files(services, d, render_all(d))
            say("\n汇总（截止后最终登记）已写入：\n" + "\n".join(f"  {x}" for x in res.digest_paths))
            await send_mail(services, sink, now, say, res)
            if opts.chat:
                say("\n" + "=" * 30 + f" 示例对话（时间：{call.to_local(now):%Y-%m-%d %H:%M} 北京时间）" + "=" * 30)
                await sample_chat(services, say)
            res.timings["report"] = p.lap()
        finally:
            await close_db()
    finally:
        for stop in reversed(stack):
            stop()
        if not built.done():
            built.cancel()
        if imap is not None:
            imap.cleanup()
    res.seconds = time.perf_counter() - p.t0
    return res


async def _run_intake(services, clock, scenarios, imap, why_not, p: Progress, res: DemoResult, opts) -> None:
    from intake.daemon import IntakeDaemon

    n = await _register_senders(services, scenarios)
    p.step(f"登记已知发件人 {n} 个（各省财政厅的发件地址；“身份不明”的那封不登记）")
    daemon = IntakeDaemon(services)
    await daemon.start()
    try:
        p.step(f"intake 已启动：SQLite {services.settings.database_url.removeprefix('sqlite://')}；"
               f"SMTP 127.0.0.1:{daemon.smtp_port}")
        if imap is not None:
            await asyncio.wait_for(asyncio.gather(*(w.connected.wait() for w in daemon.watchers)), 30)
            p.step(f"本地 IMAP（Dovecot）127.0.0.1:{imap.port}，两个邮箱各有一个 IMAP 监听（IDLE）；"
                   f"{IMAP_MAILBOX} 邮箱的副本经 IMAP APPEND 投递（INTERNALDATE = 到达时间），其余经 SMTP")
        else:
            p.step(f"不使用 IMAP：{why_not}；全部邮件经 SMTP 投递")
        p.step("时钟：演示使用注入的时钟，每封邮件投递前拨到它的到达时间（2023年，截止前后）")
        res.delivered, res.receipts = await deliver_all(services, clock, daemon, scenarios, imap, p)
        res.timings["intake"] = p.lap()
        res.ocr_done = await run_ocr(services, opts.ocr_seconds, p)
        res.timings["ocr"] = p.lap()
    finally:
        await daemon.stop()
