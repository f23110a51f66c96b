"""Ordinary mistakes a newcomer or an administrator makes with the ``shenbao`` command: each one ends in one
line that says what is wrong (Chinese and English) and exit code 2 — never a traceback, never an empty
database created by accident, never a silent wrong answer. The table is the one in the issue-15 note."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.demo.helpers import clean_env, shenbao
from tests.intake.mailmaker import make_mail


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mistakes")
    d = root / "data"
    eml = root / "gd.eml"
    eml.write_bytes(make_mail(message_id="<gd-mistakes@x>"))
    p = shenbao("--data-dir", str(d), "ingest", str(eml), "--mailbox", "mof", "--received-at", "2023-03-25 10:00")
    assert p.returncode == 0, p.stderr
    (root / "afile").write_text("not a folder")
    return d


# (id, argv with {data} / {root}, extra env, exit code, text expected in stdout+stderr)
CASES = [
    ("register-wrong-data-dir", ["--data-dir", "{root}/dta", "register"], {}, 2, "没有找到收件数据库"),
    ("register-data-dir-after-subcommand-wrong", ["register", "--data-dir", "{root}/nope"], {}, 2, "{root}/nope"),
    ("digest-no-env", ["digest"], {"SHENBAO_DATA_DIR": "{root}/elsewhere"}, 2, "没有找到收件数据库"),
    ("bot-wrong-dir", ["--data-dir", "{root}/x", "bot"], {}, 2, "shenbao migrate"),
    ("data-dir-is-a-file", ["--data-dir", "{root}/afile", "register"], {}, 2, "is a file"),
    ("province-pinyin", ["--data-dir", "{data}", "register", "--province", "Guangdong", "--json"], {}, 0, '"广东省"'),
    ("province-traditional", ["--data-dir", "{data}", "register", "--province", "廣東省", "--json"], {}, 0, '"广东省"'),
    ("province-city", ["--data-dir", "{data}", "register", "--province", "深圳", "--json"], {}, 0, '"广东省"'),
    ("province-city-former-name", ["--data-dir", "{data}", "register", "--province", "襄樊", "--json"], {}, 0,
     '"湖北省"'),
    ("province-shaanxi", ["--data-dir", "{data}", "register", "--province", "Shaanxi", "--json"], {}, 0, '"陕西省"'),
    ("province-shanxi-asks", ["--data-dir", "{data}", "register", "--province", "Shanxi"], {}, 2,
     "您是不是要找：山西省、陕西省"),
    ("province-not-a-name", ["--data-dir", "{data}", "register", "--province", "Atlantis"], {}, 2,
     "请写省级单位的名称"),
    ("province-typo", ["--data-dir", "{data}", "register", "--province", "广冬省"], {}, 2, "您是不是要找：广东省"),
    ("province-english-typo", ["--data-dir", "{data}", "evidence", "Gaungdong", "-o", "{root}/e.zip"], {}, 2,
     "did you mean 广东省"),
    ("evidence-output-folder-missing", ["--data-dir", "{data}", "evidence", "广东", "-o", "{root}/no/such/e.zip"],
     {}, 2, "不存在"),
    ("evidence-output-is-a-dir", ["--data-dir", "{data}", "evidence", "广东", "-o", "{root}"], {}, 2, "是目录"),
    ("evidence-verify-missing-file", ["--data-dir", "{data}", "evidence-verify", "{root}/missing.zip"], {}, 2,
     "不存在"),
    ("digest-at-slashes", ["--data-dir", "{data}", "digest", "--at", "2023/03/26", "--json"], {}, 0, '"generated_at"'),
    ("digest-at-tomorrow", ["--data-dir", "{data}", "digest", "--at", "明天", "--json"], {}, 0, '"counts"'),
    ("digest-at-chinese", ["--data-dir", "{data}", "digest", "--at", "3月26日18时", "--json"], {}, 0,
     "2023-03-26T18:00:00+08:00"),
    ("digest-at-24-hours", ["--data-dir", "{data}", "digest", "--at", "2023年3月26日24时", "--json"], {}, 0,
     "2023-03-27T00:00:00+08:00"),
    ("digest-at-garbage", ["--data-dir", "{data}", "digest", "--at", "next tuesday"], {}, 2, "看不懂的时间"),
    ("digest-at-no-such-day", ["--data-dir", "{data}", "digest", "--at", "2023-02-30"], {}, 2, "没有这一天"),
    ("bad-digest-time", ["--data-dir", "{data}", "digest", "--json"], {"SHENBAO_DIGEST_TIME": "8.30"}, 2,
     "SHENBAO_DIGEST_TIME must be HH:MM"),
    ("misspelt-variable", ["--data-dir", "{data}", "register", "--json"], {"SHENBAO_DIGST_TO": "a@b.cn"}, 0,
     "是不是 SHENBAO_DIGEST_TO"),
    ("verbose-after-subcommand", ["register", "-v", "--data-dir", "{data}"], {}, 0, "数据目录 {data}"),
    ("version", ["--version"], {}, 0, "shenbao "),
    ("ingest-missing-file", ["--data-dir", "{data}", "ingest", "{root}/nope.eml", "--mailbox", "mof"], {}, 1,
     "not imported"),
    ("ingest-bad-mailbox", ["--data-dir", "{data}", "ingest", "{root}/nope.eml", "--mailbox", "163"], {}, 2,
     "无效的选项"),
    ("ingest-date-without-time", ["--data-dir", "{data}", "ingest", "{root}/nope.eml", "--mailbox", "mof",
                                  "--received-at", "2023-03-26"], {}, 2, "需要写明时刻"),
    ("replay-bad-ref", ["--data-dir", "{data}", "replay", "S12"], {}, 2, "R000012"),
    ("unknown-command", ["regster"], {}, 2, "无效的选项"),
    ("missing-argument", ["--data-dir", "{data}", "evidence"], {}, 2, "缺少参数"),
    ("analyse-missing-file", ["--data-dir", "{data}", "analyse", "{root}/nope.pdf"], {}, 2, "不存在"),
    ("assign-unknown-province", ["--data-dir", "{data}", "assign", "S000001", "Atlantis", "--reason", "x"], {}, 2,
     "不认识的省份"),
    ("ask-as-province-typo", ["--data-dir", "{data}", "ask", "收到了吗", "--as-province", "廣冬"], {}, 2,
     "不认识的省份"),
    ("bind-code-traditional", ["--data-dir", "{data}", "bind-code", "廣東"], {}, 0, "广东省 绑定码"),
    ("call-file-missing", ["call", "check", "{root}/2024.toml"], {}, 2, "2024.toml"),
    ("restore-not-a-backup", ["--data-dir", "{root}/r", "restore", "{root}"], {}, 2, "不是 shenbao 备份"),
    ("web-url-bad", ["--data-dir", "{data}", "web-link"], {"SHENBAO_WEB_URL": "desk.example.cn"}, 2,
     "SHENBAO_WEB_URL must start with http"),
    ("placeholder-secret", ["--data-dir", "{data}", "bot"], {"SHENBAO_DINGTALK_CLIENT_ID": "changeme"}, 2,
     "SHENBAO_DINGTALK_CLIENT_ID"),
    ("json-shunted", ["--data-dir", "{data}", "shunted", "--json"], {}, 0, "[]"),
    ("json-audit", ["--data-dir", "{data}", "audit", "list", "--json"], {}, 0, "["),
    ("json-outbox", ["--data-dir", "{data}", "outbox", "--json"], {}, 0, "["),
    ("json-ask", ["--data-dir", "{data}", "ask", "截止时间是什么时候？", "--json"], {}, 0, '"intent"'),
]


@pytest.mark.parametrize("argv, env, code, expect", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_mistake_gets_one_clear_line(data, argv, env, code, expect):
    root = str(data.parent)
    sub = lambda s: s.replace("{data}", str(data)).replace("{root}", root)  # noqa: E731
    p = shenbao(*[sub(a) for a in argv], env=clean_env(**{k: sub(v) for k, v in env.items()}), timeout=120)
    out = p.stdout + p.stderr
    assert p.returncode == code, out[-2000:]
    assert sub(expect) in out, out[-2000:]
    assert "Traceback" not in out
    if code == 2:
        errs = [x for x in p.stderr.splitlines() if x.startswith(("错误", "配置错误"))]
        assert len(errs) == 1 and ("error:" in errs[0] or "configuration error" in errs[0]), p.stderr


def test_read_commands_never_create_a_database(tmp_path):
    for args in (["register"], ["digest"], ["audit", "verify"], ["shunted"], ["outbox"]):
        p = shenbao("--data-dir", str(tmp_path / "d"), *args)
        assert p.returncode == 2 and str(tmp_path / "d" / "shenbao.sqlite3") in p.stderr, (args, p.stderr)
    # evidence-verify works offline, without a database (issue 12): it names the missing file, creates nothing
    p = shenbao("--data-dir", str(tmp_path / "d"), "evidence-verify", "x")
    assert p.returncode == 2 and "文件 x 不存在" in p.stderr, p.stderr
    assert not (tmp_path / "d").exists()


def test_register_header_names_data_dir_and_aligns_chinese_columns(data):
    p = shenbao("--data-dir", str(data), "register")
    lines = p.stdout.splitlines()
    assert f"数据目录 {data}；数据库 SQLite {data / 'shenbao.sqlite3'}" in lines
    from cli.table import cell_width

    table = [x for x in lines if re.match(r"^(省份|北京市|广东省|新疆生产建设兵团) ", x)]
    starts = {x.split()[0]: cell_width(x[:x.index(x.split()[1], len(x.split()[0]))]) for x in table}
    assert len(set(starts.values())) == 1, starts                    # the status column starts in one place
    j = json.loads(shenbao("--data-dir", str(data), "register", "--json").stdout)
    assert j["format"] == 1 and len(j["provinces"]) == 32


@pytest.mark.parametrize("argv, reader", [
    (["register"], "gone"),                      # `shenbao register | true`: the reader left before a byte
    (["digest"], "gone"),
    (["register", "--json"], "head"),            # `shenbao register --json | head -n 1`: left after one line
    (["register"], "head"),
])
def test_a_reader_that_leaves_early_gets_no_traceback(data, argv, reader):
    """Row 51: a pipe closed early (``| head``) is not an error: exit 0, nothing on stderr. The pipe is made
    4 KB (F_SETPIPE_SZ) so the command's output cannot all fit before the reader goes: the write really fails."""
    import fcntl
    import subprocess

    from tests.demo.helpers import REPO, shenbao_argv

    r, w = os.pipe()
    fcntl.fcntl(w, fcntl.F_SETPIPE_SZ, 4096)
    head = None
    if reader == "head":
        head = subprocess.Popen(["head", "-n", "1"], stdin=r, stdout=subprocess.PIPE)
    os.close(r)                                  # only head (if any) holds the read end now
    try:
        p = subprocess.Popen([*shenbao_argv(), "--data-dir", str(data), *argv], cwd=REPO, env=clean_env(),
                             stdout=w, stderr=subprocess.PIPE)
    finally:
        os.close(w)
    err = p.communicate(timeout=120)[1].decode()
    first = head.communicate(timeout=30)[0].decode() if head else ""
    assert p.returncode == 0 and err == "", (p.returncode, err[-2000:])
    if head:
        assert head.returncode == 0 and first.count("\n") == 1
        assert first.startswith("{") if "--json" in argv else first.startswith("财办社〔2023〕22号")
