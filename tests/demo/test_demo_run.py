"""``shenbao demo`` end to end as a subprocess: the register it leaves matches every scenario's intended outcome,
each copy is stamped at the scenario's arrival time, the digest files exist, the sample chat answers."""
from __future__ import annotations

import json
from pathlib import Path
import os
import time
from datetime import datetime

import openpyxl
import pytest

from config.call import load_call
from demo.localimap import dovecot_unavailable
from demo.samples.scenarios import build_scenarios

from tests.demo.helpers import shenbao



@pytest.fixture(scope="module")
def call():
    return load_call("2023")


@pytest.fixture(scope="module")
def scenarios(call):
    return build_scenarios(call)


def run_demo(tmp_path_factory, *extra: str) -> tuple[object, dict, float]:
    data = tmp_path_factory.mktemp("demo") / "data"
    t = time.perf_counter()
    p = shenbao("demo", "--data-dir", str(data), "--ocr-seconds", "0", *extra, timeout=280)
    seconds = time.perf_counter() - t
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    reg = shenbao("--data-dir", str(data), "register", "--json")
    assert reg.returncode == 0, reg.stderr[-2000:]
    return p, json.loads(reg.stdout) | {"_dir": str(data)}, seconds


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory)


def final_per_province(scenarios) -> dict[str, object]:
    out = {}
    for s in scenarios:              # arrival order: the last one decides
        if s.province:
            out[s.province] = s
    return out


def arrivals(reg: dict) -> set[tuple[str, str, datetime]]:
    """(subject, mailbox, received_at) for every receipt in the register, identified or not."""
    out = set()
    for row in reg["provinces"]:
        for sub in row["submissions"]:
            out |= {(sub["subject"], r["mailbox"], datetime.fromisoformat(r["received_at"])) for r in sub["receipts"]}
    for u in reg["unidentified"]:
        out |= {(u["subject"], r["mailbox"], datetime.fromisoformat(r["received_at"])) for r in u["receipts"]}
    return out


def receipts(reg: dict) -> list[dict]:
    out = [r for row in reg["provinces"] for sub in row["submissions"] for r in sub["receipts"]]
    return out + [r for u in reg["unidentified"] for r in u["receipts"]]


def test_register_matches_every_scenario(demo, scenarios, call):
    proc, reg, seconds = demo
    rows = {r["province"]: r for r in reg["provinces"]}
    assert len(rows) == len(call.provinces)
    finals = final_per_province(scenarios)
    for province, s in finals.items():
        assert rows[province]["status"] == s.expected_status, (s.name, rows[province]["findings"])
        codes = {f["code"] for f in rows[province]["findings"]}
        missing = set(s.expected_codes) - codes
        assert not missing, (s.name, missing)
    for province, row in rows.items():
        if province not in finals:
            assert row["status"] == "not_filed" and not row["submissions"], province
    unknown = [s for s in scenarios if s.province is None]
    assert [u["sender"] for u in reg["unidentified"]] == [s.sender for s in unknown]
    assert all(s.expected_status == "unidentified" for s in unknown)
    assert reg["counts"]["filed"] == sum(s.expected_status == "filed" for s in finals.values())
    assert reg["counts"]["late"] == sum(s.expected_status == "late" for s in finals.values())


def test_each_copy_is_stamped_at_its_arrival_time(demo, scenarios):
    _, reg, _ = demo
    want = {(s.subject, k, s.arrives_at) for s in scenarios for k in s.mailboxes}
    assert arrivals(reg) == want
    # late by one minute: on time only in the Date: header, not on the server
    late = next(s for s in scenarios if s.expected_status == "late")
    row = next(r for r in reg["provinces"] if r["province"] == late.province)
    assert all(not r["on_time"] for sub in row["submissions"] for r in sub["receipts"])


def test_one_mailbox_arrives_by_imap_when_dovecot_can_run(demo):
    proc, reg, _ = demo
    by_source = {(r["mailbox"], r["source"], r["time_source"]) for r in receipts(reg)}
    if dovecot_unavailable() is None:
        assert by_source == {("mof", "smtp", "smtp_end_of_data"), ("mohrss", "imap", "imap_internaldate")}
        assert "IMAP APPEND→mohrss ✓" in proc.stdout
    else:
        assert {s for _, s, _ in by_source} == {"smtp"}
        assert "不使用 IMAP" in proc.stdout


def test_output_register_digest_and_chat(demo, scenarios):
    proc, reg, seconds = demo
    out = proc.stdout
    print(f"\nshenbao demo (OCR off) took {seconds:.1f} s")
    assert seconds < 120, "the demo must finish within about two minutes"
    assert f"{len(scenarios)}/{len(scenarios)} 已投递并处理" in out
    assert "收件登记" in out and "逾期视为未申报" in out and "未识别（待处室人员归属）" in out
    data = reg["_dir"]
    html = next(p for p in os.listdir(f"{data}/digests") if p.endswith(".html"))
    xlsx = next(p for p in os.listdir(f"{data}/digests") if p.endswith(".xlsx"))
    assert f"{data}/digests/{html}" in out and f"{data}/digests/{xlsx}" in out
    page = open(f"{data}/digests/{html}", encoding="utf-8").read()
    assert "截止后最终登记" in page and "浙江省" in page
    wb = openpyxl.load_workbook(f"{data}/digests/{xlsx}")
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"广东省", "江苏省", "浙江省"} <= cells
    # the sample chat: a provincial contact, an officer, anyone
    assert "【广东省联系人】问：我们的材料收到了吗？" in out and "【广东省】已申报" in out
    assert "【部里工作人员】问：未识别的邮件" in out and "zhangwei1987@example.com" in out
    assert "实施方案不得超过10页" in out
    assert "青岛市是本省的计划单列市" in out
    assert "chat --as-province 广东省" in out and "chat --officer" in out
    # what the bot sends after the deadline, through the real outbox and relay, into the local sink
    assert "【回执】财办社〔2023〕22号 已收到广东省报送材料" in out and "结论：按时收到" in out
    assert "汇总邮件：收件人 shebaosi-staff@mof.demo.cn" in out and ".xlsx" in out
    import email
    import email.policy

    sent = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted((Path(data) / "sent-mail").glob("*.eml"))]
    subjects = [str(m["Subject"]) for m in sent]
    assert sum("【回执】" in x for x in subjects) == sum(1 for s in scenarios if s.province)   # one per submission
    digest = next(m for m in sent if "截止后最终登记" in str(m["Subject"]))
    assert [a.get_filename() for a in digest.iter_attachments()][0].endswith(".xlsx")
    assert " web " in out and "http://127.0.0.1:8090/" in out            # the web desk's address


def test_chat_continues_on_the_same_data(demo):
    _, reg, _ = demo
    p = shenbao("--data-dir", reg["_dir"], "ask", "--as-province", "广东省", "我们的材料收到了吗？")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "【广东省】已申报" in p.stdout and "2023-03-24 10:12:00" in p.stdout


def test_smtp_only_gives_the_same_register(tmp_path_factory, scenarios):
    proc, reg, _ = run_demo(tmp_path_factory, "--no-imap", "--no-chat")
    assert "不使用 IMAP：已用 --no-imap 关闭" in proc.stdout
    assert {r["source"] for r in receipts(reg)} == {"smtp"}
    rows = {r["province"]: r["status"] for r in reg["provinces"]}
    assert {p: s.expected_status for p, s in final_per_province(scenarios).items()} == \
        {p: rows[p] for p in final_per_province(scenarios)}
    assert arrivals(reg) == {(s.subject, k, s.arrives_at) for s in scenarios for k in s.mailboxes}


def test_refuses_to_wipe_a_directory_it_did_not_create(tmp_path):
    precious = tmp_path / "real-data"
    precious.mkdir()
    (precious / "shenbao.sqlite3").write_bytes(b"not a demo")
    p = shenbao("demo", "--data-dir", str(precious))
    assert p.returncode == 2
    assert "拒绝" in p.stderr and str(precious) in p.stderr
    assert (precious / "shenbao.sqlite3").read_bytes() == b"not a demo"
    assert sorted(x.name for x in precious.iterdir()) == ["shenbao.sqlite3"]
