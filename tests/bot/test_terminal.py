"""Terminal chat driven through its function with stdin/stdout; ``shenbao ask`` through the real CLI."""
from __future__ import annotations

import io
import os
import subprocess
import sys

from bot.terminal import ask, chat, terminal_caller


async def test_chat_as_province(seeded, engine):
    stdin = io.StringIO("我们的材料收到了吗？\n\n广东的呢？\n实施方案最多几页？\n退出\n没读到这里\n")
    stdout = io.StringIO()
    assert await chat(engine, terminal_caller(province="湖南省"), stdin, stdout) == 0
    out = stdout.getvalue()
    assert "湖南省联系人" in out and "2023-03-25 15:30:00 收到" in out
    assert "不能查看广东省" in out and "实施方案不得超过10页" in out
    assert out.rstrip().endswith("再见。") and "没读到这里" not in out


async def test_chat_as_officer_until_eof(seeded, engine):
    stdout = io.StringIO()
    await chat(engine, terminal_caller(officer=True), io.StringIO("总览\n/dossier 广东"), stdout)
    out = stdout.getvalue()
    assert "已申报 2" in out and "【广东省】已申报" in out


async def test_ask_unbound(db, engine):
    text = await ask(engine, terminal_caller(), "我们的材料收到了吗？")
    assert "先绑定" in text


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def _ask(env, *argv, importtime=False):
    x = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *x, "-m", "cli.main", "ask", *argv], env=env, capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def _imported(stderr: str) -> set[str]:
    """Module names from ``-X importtime`` lines ("import time: self | cumulative | name")."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")
            and "|" in line}


def test_shenbao_ask_cli(tmp_path, chat_cache):
    env = dict(os.environ, SHENBAO_DATA_DIR=str(tmp_path), SHENBAO_CACHE_DIR=str(chat_cache))
    env.pop("DATABASE_URL", None)
    r = _ask(env, "我们的材料收到了吗？", "--as-province", "湖南省")
    assert r.returncode == 2 and "没有找到收件数据库" in r.stderr      # a read command never creates one
    assert not (tmp_path / "shenbao.sqlite3").exists()
    assert subprocess.run([sys.executable, "-m", "cli.main", "migrate"], env=env, capture_output=True,
                          timeout=120, cwd=ROOT).returncode == 0
    r = _ask(env, "联系人电话？")
    assert r.returncode == 0, r.stderr
    assert "010-68553924" in r.stdout and "010-84208453" in r.stdout
    r = _ask(env, "广东的呢？", "--as-province", "湖南省")
    assert r.returncode == 0 and "不能查看广东省" in r.stdout
    r = _ask(env, "我们的材料收到了吗？", "--as-province", "湖南省", importtime=True)
    assert r.returncode == 0 and "湖南省：未申报" in r.stdout, r.stdout     # the database read on first need ...
    assert "tortoise" not in _imported(r.stderr) and "sqlite3" in _imported(r.stderr)   # ... with plain SQL
    r = _ask(env, "谁还没交", "--officer")
    assert r.returncode == 0 and "湖南省" in r.stdout and "未申报" in r.stdout


def test_rule_question_opens_no_database(tmp_path, chat_cache):
    """``shenbao ask`` of a rule question needs no stored data: it imports no ORM and opens (or creates) no
    database file, so it answers even where no database exists. An eager ``models`` / ``core.register`` /
    ``tortoise`` import on the chat path, or a database opened before the question is read, fails this."""
    env = dict(os.environ, SHENBAO_DATA_DIR=str(tmp_path / "data"), SHENBAO_CACHE_DIR=str(chat_cache))
    env.pop("DATABASE_URL", None)
    assert _ask(env, "联系人电话？").returncode == 0        # the chat models trained and cached, if not yet
    for q, says in (("申报需要哪些材料", "实施方案"), ("页数限制是多少", "30页"), ("截止时间", "2023")):
        r = _ask(env, q, importtime=True)
        assert r.returncode == 0, r.stderr
        assert says in r.stdout
        loaded = _imported(r.stderr)
        heavy = sorted(m for m in loaded if m.split(".")[0] in ("tortoise", "aiosqlite", "asyncpg", "pypika_tortoise",
                                                                  "models", "jieba", "sklearn", "numpy", "bm25s",
                                                                  "jionlp", "cryptography"))
        assert heavy == [], (q, heavy)
        assert "importlib.metadata" not in loaded, q
    assert not (tmp_path / "data" / "shenbao.sqlite3").exists()


HEAVY = ("tortoise", "aiosqlite", "pypika_tortoise", "models", "cryptography")


async def test_data_questions_import_no_orm(db, seeded, bot_services, chat_cache, tmp_path):
    """``shenbao ask`` of a question that reads stored data answers from the kept state with plain SQL
    (``core.register_sql``): no tortoise import (~0.2 s of a fresh process), the same answer as the engine
    through the ORM, on SQLite and PostgreSQL."""
    from datetime import datetime, timezone

    from config.clock import FixedClock
    from core.services import Services

    env = dict(os.environ, SHENBAO_DATA_DIR=str(tmp_path / "data"), SHENBAO_CACHE_DIR=str(chat_cache),
               DATABASE_URL=db, PYTHONHASHSEED="0")
    now = Services(bot_services.settings, bot_services.call, FixedClock(datetime.now(timezone.utc)),
                   bot_services.archive)
    from bot.engine import Engine

    engine = Engine(now)
    for argv, who, says in ((("--as-province", "广东省", "我们的材料收到了吗"), terminal_caller(province="广东省"),
                             "【广东省】已申报"),
                            (("--officer", "谁还没交"), terminal_caller(officer=True), "河北省"),
                            (("--officer", "总览"), terminal_caller(officer=True), "已申报 2"),
                            (("--officer", "有没有来路不明的邮件"), terminal_caller(officer=True), "申报材料（见附件）")):
        r = _ask(env, argv[-1], *argv[:-1], importtime=True)
        assert r.returncode == 0, r.stderr
        assert says in r.stdout, (argv, r.stdout)
        assert r.stdout.strip() == (await ask(engine, who, argv[-1])).strip(), argv    # as through the ORM
        loaded = _imported(r.stderr)
        assert sorted(m for m in loaded if m.split(".")[0] in HEAVY) == [], argv


def test_data_question_without_database(tmp_path, chat_cache):
    """No database at the path: the one-line error and exit 2, as before, said before tortoise is imported."""
    env = dict(os.environ, SHENBAO_DATA_DIR=str(tmp_path / "data"), SHENBAO_CACHE_DIR=str(chat_cache))
    env.pop("DATABASE_URL", None)
    r = _ask(env, "总览", "--officer", importtime=True)
    assert r.returncode == 2 and "没有找到收件数据库" in r.stderr and "shenbao migrate" in r.stderr
    assert [line for line in r.stderr.splitlines() if not line.startswith("import time:")] == \
        [line for line in r.stderr.splitlines() if "没有找到收件数据库" in line]      # one line
    assert "tortoise" not in _imported(r.stderr)
    assert not (tmp_path / "data" / "shenbao.sqlite3").exists()
