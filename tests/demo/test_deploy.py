"""What a deployment relies on: .env.example documents every setting, placeholder secrets are refused by name,
the Procfile's commands exist, and ``shenbao call check`` validates the call file."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli.main import build_parser
from config.call import load_call

from tests.demo.helpers import REPO, clean_env, shenbao

CODE_DIRS = ("bot", "cli", "config", "core", "demo", "intake", "models", "precheck", "scripts")
FULL = re.compile(r"\b(SHENBAO_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL)(?![A-Z0-9_{*])")
TEMPLATE = re.compile(r"\b(SHENBAO_[A-Z0-9_]*)\{(\w+)\}([A-Z0-9_]*)")


def used_in_code() -> set[str]:
    """Every variable name the code reads or mentions, with ``SHENBAO_IMAP_{key}_HOST`` expanded per mailbox."""
    keys = [m.key.upper() for m in load_call("2023").mailboxes]
    names: set[str] = set()
    for d in CODE_DIRS:
        for path in (REPO / d).rglob("*"):
            if path.suffix not in (".py", ".sh") or "__pycache__" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            names |= set(FULL.findall(text))
            for pre, var, post in TEMPLATE.findall(text):
                assert var == "key", f"{path}: template {{{var}}} — teach this test its values"
                names |= {f"{pre}{k}{post}" for k in keys}
    return names


def documented() -> dict[str, str]:
    """Variable → its comment block in .env.example (assignments may be commented out: '# NAME=value')."""
    out, comment = {}, []
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=", line)
        if m:
            out[m.group(1)] = " ".join(comment)
        elif line.startswith("#"):
            comment.append(line.lstrip("# "))
        else:
            comment = []
    return out


def test_env_example_lists_every_variable_the_code_uses_with_a_comment():
    used, doc = used_in_code(), documented()
    assert len(used) > 40
    missing = sorted(used - set(doc))
    assert not missing, f".env.example lacks {missing}"
    stale = sorted(set(doc) - used)
    assert not stale, f".env.example documents variables no code reads: {stale}"
    uncommented = sorted(k for k, c in doc.items() if not c.strip())
    assert not uncommented, f"no comment above {uncommented}"


def test_env_example_says_how_163_com_is_reached():
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    assert "imap.163.com" in text and "993" in text and "授权码" in text and "ID" in text


@pytest.mark.parametrize("env, name", [
    ({"SHENBAO_TELEGRAM_TOKEN": "changeme"}, "SHENBAO_TELEGRAM_TOKEN"),
    ({"SHENBAO_TELEGRAM_TOKEN": "123456:real-looking", "SHENBAO_TELEGRAM_WEBHOOK_URL": "https://x.example/tg",
      "SHENBAO_TELEGRAM_WEBHOOK_SECRET": "<secret>"}, "SHENBAO_TELEGRAM_WEBHOOK_SECRET"),
    ({"SHENBAO_WECOM_CORP_ID": "ww0123456789", "SHENBAO_WECOM_TOKEN": "changeme"}, "SHENBAO_WECOM_TOKEN"),
], ids=["telegram-token", "telegram-webhook-secret", "wecom-token"])
def test_bot_refuses_a_placeholder_secret_and_names_it(tmp_path, env, name):
    p = shenbao("bot", env=clean_env(SHENBAO_DATA_DIR=str(tmp_path), **env), timeout=120)
    assert p.returncode == 2, p.stdout[-2000:] + p.stderr[-2000:]
    assert name in p.stdout + p.stderr
    assert "Traceback" not in p.stdout + p.stderr


@pytest.mark.parametrize("command", ["intake", "bot", "migrate"])
def test_every_process_refuses_a_placeholder_imap_password(tmp_path, command):
    env = clean_env(SHENBAO_DATA_DIR=str(tmp_path), SHENBAO_IMAP_MOHRSS_HOST="imap.163.com",
                    SHENBAO_IMAP_MOHRSS_USER="jysmohrss@163.com", SHENBAO_IMAP_MOHRSS_PASSWORD="changeme")
    p = shenbao(command, env=env, timeout=120)
    assert p.returncode == 2
    assert "SHENBAO_IMAP_MOHRSS_PASSWORD" in p.stderr and "授权码" in p.stderr


def test_procfile_processes_are_shenbao_commands():
    procs = dict(line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip())
    assert {k.strip() for k in procs} == {"release", "intake", "bot"}
    parser = build_parser()
    for name, cmd in procs.items():
        argv = cmd.split()
        assert argv[0] == ".venv/bin/shenbao", name          # works without an activated venv (no exit 127)
        args = parser.parse_args(argv[1:])
        assert callable(args.func), name


def test_call_check_validates_the_2023_call(tmp_path):
    p = shenbao("call", "check", "config/calls/2023.toml", env=clean_env(SHENBAO_DATA_DIR=str(tmp_path)))
    assert p.returncode == 0, p.stderr[-2000:]
    assert "配置文件有效" in p.stdout and "实施方案不超过10页" in p.stdout and "sbsjyc@163.com" in p.stdout


def test_call_check_rejects_a_broken_file_naming_the_problem(tmp_path):
    broken = tmp_path / "2024.toml"
    text = (REPO / "config/calls/2023.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace("plan_max_pages = 10", "plan_max_pages = 0", 1), encoding="utf-8")
    assert "plan_max_pages = 0" in broken.read_text(encoding="utf-8")
    p = shenbao("call", "check", str(broken), env=clean_env(SHENBAO_DATA_DIR=str(tmp_path)))
    assert p.returncode != 0
    assert "plan_max_pages" in p.stdout + p.stderr


def test_deploy_doc_lists_every_status_and_finding_code():
    from core.findings import SEVERITY
    from core.vocabulary import ProvinceStatus

    text = (REPO / "docs/deploy.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_0-9]+)` \| (\w+) \|", text, flags=re.M))
    assert set(rows) == set(SEVERITY), set(SEVERITY) ^ set(rows)
    assert rows == {c: s.value for c, s in SEVERITY.items()}
    for status in ProvinceStatus:
        assert f"`{status.value}`" in text
    assert "`unidentified`" in text


def test_demo_doc_shows_the_screenshot_and_captured_output():
    text = (REPO / "docs/demo.md").read_text(encoding="utf-8")
    assert "img/digest-email.png" in text and (REPO / "docs/img/digest-email.png").stat().st_size > 50_000
    assert "收件登记" in text and "【广东省联系人】问：我们的材料收到了吗？" in text


def test_every_documented_variable_is_known_to_the_typo_warning():
    """config.settings.KNOWN_VARIABLES is what `unknown variable` warnings compare with: a variable added to
    .env.example (and the code) must be added there too, or every start warns about it."""
    from config.settings import KNOWN_VARIABLES

    assert set(documented()) == set(KNOWN_VARIABLES), set(documented()) ^ set(KNOWN_VARIABLES)
