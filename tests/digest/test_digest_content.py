"""Digest content pinned for a fixed clock over the 37-unit fixture database (morning, then final)."""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from bot.digest.job import collect_digest, queue_digest, render_all
from bot.digest.text import CHAT_LIMIT
from bot.digest.xlsx import SHEETS
from models.schedule import ScheduledRun
from tests.digest import fixture_units
from tests.digest.conftest import make_services

MORNING = datetime.fromisoformat("2023-03-26T08:30:00+08:00")
FINAL = datetime.fromisoformat("2023-03-27T00:15:00+08:00")


async def test_morning_digest_is_pinned(outdb, tmp_path, call):
    s = make_services(tmp_path, call, MORNING)
    await fixture_units.build(s, "morning")
    d = await collect_digest(s, s.settings.outgoing, MORNING, kind="daily")
    assert d.counts == {"not_filed": 19, "filed": 13, "late": 0, "unidentified": 1, "shunted": 1}
    text = render_all(d)["text"]
    lines = text.splitlines()
    assert lines[0] == "财办社〔2023〕22号 每日收件汇总 2023-03-26 08:30（北京时间）"
    assert lines[1] == "截止时间：2023-03-27 00:00前（2023年3月26日24时前，剩余15小时30分）"
    assert lines[3] == "已申报 13 · 逾期视为未申报 0 · 未申报 19 · 未识别来信 1 · 处理失败 1"
    assert "自上次汇总以来的变化：首次汇总，无比较基准。" in lines
    assert ("尚未申报（19个，剩余15小时30分）：内蒙古自治区、吉林省、黑龙江省、上海市、江苏省、浙江省、安徽省、江西省、"
            "广西壮族自治区、海南省、重庆市、贵州省、云南省、西藏自治区、陕西省、青海省、宁夏回族自治区、"
            "新疆维吾尔自治区、新疆生产建设兵团") in lines
    # per-province rows: arrival per mailbox (Beijing), A4 pages, open findings by severity, paper copy
    assert "天津市｜已申报｜财政部 03-25 16:40 / 人社部 —｜10页｜提醒2｜纸质版未登记" in lines
    assert "山西省｜已申报｜财政部 03-23 14:20 / 人社部 03-23 14:21｜30页｜错误1 提醒1｜纸质版未登记" in lines
    assert "河南省｜已申报｜财政部 03-24 15:48 / 人社部 03-24 15:48｜26页｜错误1 待复核1 提醒1｜纸质版未登记" in lines
    assert "山东省｜已申报｜财政部 03-22 17:36 / 人社部 03-22 17:36｜10页｜无问题｜纸质版 2023-03-23" in lines
    assert not any(x.startswith("江苏省｜") for x in lines)     # not filed: only in the one-line list above
    assert "    [错误] 缺2022年执行情况报告：missing_prior_report 的说明（测试）" in lines
    assert "- S000016 zhangwei1987@example.com 《材料》 03-25 22:17" in lines
    rows = [x.split("｜")[0] for x in lines if "｜" in x]
    assert len(rows) == 13 == d.counts["filed"]                # one row per filed unit, problems first
    assert rows[:4] == ["河北省", "山西省", "河南省", "四川省"] and rows.index("山东省") > 4


async def test_final_digest_after_the_deadline_shows_changes(outdb, tmp_path, call):
    s = make_services(tmp_path, call, MORNING)
    out = s.settings.outgoing
    await fixture_units.build(s, "morning")
    await queue_digest(s, out, slot="daily:2023-03-26T08:30+08:00", kind="daily", slot_at=MORNING, now=MORNING)
    s.clock.set(FINAL)
    await fixture_units.build(s, "final")
    d = await collect_digest(s, out, FINAL, kind="final", slot_at=FINAL)
    assert d.counts == {"not_filed": 16, "filed": 15, "late": 1, "unidentified": 2, "shunted": 1}
    assert d.changes == [
        "北京市：已消除：纸质版未登记；纸质版已登记（2023-03-26）",
        "内蒙古自治区：未申报→已申报；新收到报送1份；新问题：发件人未登记、纸质版未登记",
        "江苏省：未申报→逾期视为未申报；新收到报送1份；新问题：截止后到达、发送时间在截止前、到达在截止后",
        "浙江省：未申报→已申报；新收到报送1份；新问题：只发到一个邮箱、纸质版未登记",
        "湖北省：新收到报送1份；新问题：截止后到达",
        "甘肃省：新收到报送1份；已消除：缺2022年执行情况报告",
        "未识别来信新增1封（S000022）",
    ]
    lines = render_all(d)["text"].splitlines()
    assert lines[0] == "财办社〔2023〕22号 截止后最终登记 2023-03-27 00:15（北京时间）"
    assert lines[1] == "截止时间：2023-03-27 00:00前（2023年3月26日24时前，已截止）"
    assert "自上次汇总（03-26 08:30）以来的变化：" in lines
    # 宁波 (浙江): on time in the MOF box at 23:59:59, the MOHRSS copy came 30 s after the deadline
    assert "浙江省｜已申报｜财政部 03-26 23:59 / 人社部 —｜10页｜提醒2｜纸质版未登记" in lines
    assert "江苏省｜逾期视为未申报，逾期报送1份｜财政部 — / 人社部 —｜—页｜错误1 待复核1｜纸质版—" in lines
    assert "湖北省｜已申报，逾期报送1份｜财政部 03-23 09:00 / 人社部 03-23 09:00｜10页｜错误1 提醒1｜纸质版未登记" in lines
    assert "- S000022 li.lei@example.org 《材料》 03-27 00:03（截止后到达）" in lines


async def test_xlsx_register_has_sheets_frozen_header_and_filters(outdb, tmp_path, call):
    s = make_services(tmp_path, call, FINAL)
    await fixture_units.build(s, "final")
    d = await collect_digest(s, s.settings.outgoing, FINAL, kind="final")
    wb = openpyxl.load_workbook(io.BytesIO(render_all(d)["xlsx"]))
    assert wb.sheetnames == list(SHEETS)
    for ws in wb.worksheets:
        assert ws["A1"].value.startswith("财办社〔2023〕22号 收件登记表 · " + ws.title)      # title row
        assert ws["A2"].value == "序号" and ws.freeze_panes == "B3"
        assert ws.auto_filter.ref.startswith("A2:")
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
        assert int(ws.page_setup.fitToHeight) == 0 and ws.print_title_rows.replace("$", "") == "2:2"
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    units = wb["全部单位"]
    assert [c.value for c in units[2]][:5] == ["序号", "单位", "状态", "财政部邮箱首次按时到达（北京时间）",
                                               "人社部邮箱首次按时到达（北京时间）"]
    assert units.max_row == 34
    body = list(units.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in body] == list(range(1, 33))
    zj = next(r[1:] for r in body if r[1] == "浙江省")
    assert zj[1] == "已申报" and zj[2] == datetime(2023, 3, 26, 23, 59, 59) and zj[3] is None
    assert wb["未识别来信"].max_row == 4
    problems = [r[1:] for r in wb["问题清单"].iter_rows(min_row=3, values_only=True)]
    assert ("江苏省", "逾期视为未申报", "错误", "late_arrival") == problems[[p[0] for p in problems].index("江苏省")][:4]
    receipts = [r[1:] for r in wb["收件记录"].iter_rows(min_row=3, values_only=True)]
    assert len(receipts) == 41                 # every copy in every mailbox (22 mails, 3 in one box only)
    assert [r[2] for r in receipts] == sorted(r[2] for r in receipts)


async def test_chat_version_fits_or_splits(outdb, tmp_path, call):
    from bot.digest.text import split_chat

    s = make_services(tmp_path, call, FINAL)
    await fixture_units.build(s, "final")
    d = await collect_digest(s, s.settings.outgoing, FINAL, kind="final")
    parts = render_all(d)["chat"]
    assert len(parts) == 1 and len(parts[0]) <= CHAT_LIMIT
    long = "\n".join(f"第{i}行 " + "字" * 90 for i in range(200))
    parts = split_chat(long)
    assert len(parts) > 1 and all(len(p) <= CHAT_LIMIT for p in parts)
    assert parts[0].startswith(f"（1/{len(parts)}）\n")
    body = "\n".join(p.split("\n", 1)[1] for p in parts)
    assert body == long                         # split only at line ends, nothing lost


async def test_same_slot_twice_queues_nothing_new(outdb, tmp_path, call):
    s = make_services(tmp_path, call, MORNING)
    out = s.settings.outgoing
    await fixture_units.build(s, "morning")
    keys = await queue_digest(s, out, slot="daily:x", kind="daily", slot_at=MORNING, now=MORNING)
    assert len(keys) == 6                      # 2 staff e-mails + telegram officer + wecom officer (text, card, xlsx)
    assert await queue_digest(s, out, slot="daily:x", kind="daily", slot_at=MORNING, now=MORNING) == []
    assert await ScheduledRun.filter(kind="digest").count() == 1


async def test_saved_digest_html_shows_the_chart_file_beside_it(outdb, tmp_path, call):
    """``shenbao digest`` / the demo save the HTML: its chart points at the PNG written next to it (a cid:
    reference only resolves inside the mail)."""
    from PIL import Image

    from bot.digest.job import write_files

    s = make_services(tmp_path, call, MORNING)
    await fixture_units.build(s, "morning")
    d = await collect_digest(s, s.settings.outgoing, MORNING, kind="daily")
    html, _, _, png = await write_files(s, d, render_all(d))
    page = html.read_text(encoding="utf-8")
    assert f'<img src="{png.name}"' in page and "cid:" not in page
    assert png.parent == html.parent and Image.open(png).size == (640, 320)
