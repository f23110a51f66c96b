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


def test_shenbao_ask_cli(tmp_path):
    env = dict(os.environ, SHENBAO_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    r = subprocess.run([sys.executable, "-m", "cli.main", "ask", "联系人电话？"], env=env, capture_output=True,
                       text=True, timeout=120, cwd=root)
    assert r.returncode == 2 and "没有找到收件数据库" in r.stderr      # a read command never creates one
    assert subprocess.run([sys.executable, "-m", "cli.main", "migrate"], env=env, capture_output=True,
                          timeout=120, cwd=root).returncode == 0
    r = subprocess.run([sys.executable, "-m", "cli.main", "ask", "联系人电话？"], env=env, capture_output=True,
                       text=True, timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert r.returncode == 0, r.stderr
    assert "010-68553924" in r.stdout and "010-84208453" in r.stdout
    r = subprocess.run([sys.executable, "-m", "cli.main", "ask", "广东的呢？", "--as-province", "湖南省"], env=env,
                       capture_output=True, text=True, timeout=120,
                       cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert r.returncode == 0 and "不能查看广东省" in r.stdout
