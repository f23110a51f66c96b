"""``shenbao call check`` accepts the 2023 call and rejects broken copies naming the key; ``samples`` writes files."""
from __future__ import annotations

import email
from pathlib import Path

from cli.call_cmds import write_samples
from cli.main import main
from config.call import CALLS_DIR

CALL_2023 = CALLS_DIR / "2023.toml"


def run(capsys, tmp_path, *argv) -> tuple[int, str, str]:
    rc = main(["--data-dir", str(tmp_path / "data"), *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_call_check_accepts_the_2023_call_and_states_its_rules(capsys, tmp_path):
    rc, out, _ = run(capsys, tmp_path, "call", "check", str(CALL_2023))
    assert rc == 0
    assert "配置文件有效" in out
    assert "2023年3月26日24时前" in out and "2023-03-27 00:00" in out and "2023-03-26 23:59:59" in out
    assert "sbsjyc@163.com" in out and "jysmohrss@163.com" in out and "010-68553924" in out
    assert "实施方案不超过10页" in out and "合计不超过30页" in out
    assert "青岛市（山东省）" in out and "可再增加1个名额" in out
    assert "不超过1亿元" in out and "不超过2年" in out
    assert "中央对地方转移支付项目绩效目标表" in out and "往年已有示范项目的省份必须提交" in out
    assert "2022年入选名单（不完整" in out
    assert "O7" in out and "通知未明确" in out


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = CALL_2023.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "broken.toml"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def test_call_check_rejects_a_missing_limit_and_names_the_key(capsys, tmp_path):
    p = _broken(tmp_path, "plan_max_pages = 10\n", "")
    rc, out, err = run(capsys, tmp_path, "call", "check", str(p))
    assert rc == 2 and "配置文件无效" in err and "plan_max_pages" in err and not out


def test_call_check_rejects_a_mailbox_without_address(capsys, tmp_path):
    p = _broken(tmp_path, 'address = "sbsjyc@163.com"\n', "")
    rc, _, err = run(capsys, tmp_path, "call", "check", str(p))
    assert rc == 2 and "'address'" in err


def test_call_check_rejects_a_naive_deadline_and_bad_toml(capsys, tmp_path):
    p = _broken(tmp_path, "deadline = 2023-03-27T00:00:00+08:00", "deadline = 2023-03-27T00:00:00")
    rc, _, err = run(capsys, tmp_path, "call", "check", str(p))
    assert rc == 2 and "call.deadline" in err
    p = _broken(tmp_path, "[limits]", "[limits")
    rc, _, err = run(capsys, tmp_path, "call", "check", str(p))
    assert rc == 2 and "broken.toml" in err


def test_call_check_rejects_inconsistent_values(capsys, tmp_path):
    p = _broken(tmp_path, 'cp_city = "青岛市"', 'cp_city = "烟台市"')
    rc, _, err = run(capsys, tmp_path, "call", "check", str(p))
    assert rc == 2 and "cp_city" in err and "烟台市" in err


def test_samples_writes_eml_and_documents(built, call, tmp_path):
    scenarios, _ = built
    out = tmp_path / "samples"
    write_samples(call, out, scenarios)
    emls = sorted(out.glob("*.eml"))
    assert len(emls) == len(scenarios)
    first = email.message_from_bytes(emls[0].read_bytes())
    assert first["X-CM-TRANSID"] and first["Received"].lstrip().startswith("from")
    clean = next(out.glob("*-clean_on_time"))
    assert sorted(p.name for p in clean.iterdir()) == sorted(f.filename for f in
                                                           next(s for s in scenarios if s.name == "clean_on_time").files)
    assert all(p.read_bytes().startswith(b"%PDF") for p in clean.iterdir())
