"""CLI: ``shenbao demo`` — the whole desk on sample data, with no account or secret (issue 7)."""
from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the parser is built without the ORM: `shenbao --help` imports no command code
    from core.services import Services

DEFAULT_DIR = "./data/demo"


def register(sub) -> None:
    p = sub.add_parser("demo", help="run the real intake on bundled sample filings (wipes ./data/demo)",
                       description="启动真实的收件服务（SQLite、本机SMTP、可用时本地IMAP），投递示例申报邮件，"
                       "打印收件登记，写出汇总（HTML+xlsx），并演示对话。数据目录每次清空重建。")
    p.add_argument("--ocr-seconds", type=float, default=150.0,
                   help="OCR budget in seconds (cover letters and budgets of on-time filings first; 0: skip)")
    p.add_argument("--no-ocr", action="store_const", const=0.0, dest="ocr_seconds", help="same as --ocr-seconds 0")
    p.add_argument("--no-imap", action="store_true", help="SMTP only, even if a local Dovecot could be started")
    p.add_argument("--no-chat", action="store_true", help="skip the sample chat questions")
    p.set_defaults(func=cmd_demo, no_db=True, creates_db=True, isolated_env=True)   # embedded defaults: ignore SHENBAO_*


def _quiet_logs(data_dir: Path, verbose: bool) -> Path:
    """Full log to <data dir>/demo.log; the terminal shows warnings only (unless -v)."""
    root = logging.getLogger()
    if not verbose:
        for h in root.handlers:
            h.setLevel(logging.WARNING)
    path = data_dir / "demo.log"
    fh = logging.FileHandler(path, encoding="utf-8")
    fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    fh.setLevel(logging.INFO)
    root.addHandler(fh)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path


async def cmd_demo(args, services: Services) -> int:
    from demo.run import DemoOptions, run_demo
    from demo.setup import DemoError, prepare_data_dir

    raw = args.data_dir or DEFAULT_DIR
    data_dir = Path(raw).expanduser().resolve()
    try:
        wiped = prepare_data_dir(data_dir)     # before the log file is opened inside it
    except DemoError as exc:
        print(f"演示无法运行：{exc}", file=sys.stderr)
        return 2
    log_path = _quiet_logs(data_dir, args.verbose)
    say = lambda text: print(text, flush=True)  # noqa: E731
    opts = DemoOptions(data_dir, ocr_seconds=args.ocr_seconds, imap=not args.no_imap, chat=not args.no_chat,
                       wiped=wiped)
    res = await run_demo(opts, say)
    prog = "shenbao" if shutil.which("shenbao") else os.path.relpath(sys.argv[0]) if sys.argv[0] else "shenbao"
    show = f"{prog} --data-dir {raw}"
    say(f"\n演示完成，用时 {res.seconds:.0f} 秒（生成邮件 {res.timings.get('build', 0):.0f} 秒，收件处理 "
        f"{res.timings.get('intake', 0):.0f} 秒，OCR {res.timings.get('ocr', 0):.0f} 秒）；"
        f"{res.delivered} 封邮件，{res.receipts} 份收件记录，{'SMTP + IMAP（两个邮箱都经 IMAP 监视）' if res.imap else '仅 SMTP'}；"
        f"回执 {res.receipts_sent} 封，汇总邮件{'已发出' if res.digest_mailed else '未发出'}（本地 SMTP 收件箱）。")
    say(f"日志：{log_path}\n\n继续体验（同一份数据）：\n"
        f"  {show} chat --as-province 广东省     # 以广东省联系人身份提问\n"
        f"  {show} chat --officer                # 以部里工作人员身份（/overview、/unidentified、/assign …）\n"
        f"  {show} register                      # 收件登记\n"
        f"  {show} digest                        # 按当前时间重新生成汇总\n"
        f"  {show} web                           # 网页收件台 http://127.0.0.1:8090/（命令会打印一次性登录链接）\n"
        "正式运行：见 docs/deploy.md（shenbao intake、shenbao bot，或用 Procfile："
        ".venv/bin/honcho start release && .venv/bin/honcho start intake bot）。")
    return 0
