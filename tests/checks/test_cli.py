"""The officer CLI: ``shenbao analyse`` on local files prints kinds, the A4 arithmetic and findings."""
from __future__ import annotations

from cli.main import main

from . import builders as b


def test_analyse_prints_kinds_pages_and_findings(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SHENBAO_DATA_DIR", str(tmp_path / "data"))
    plan = tmp_path / "实施方案.pdf"
    plan.write_bytes(b.text_pdf([["青岛市公共就业服务能力提升示范项目实施方案", "项目实施期限：2年"]] * 9 + [["附表"]],
                                sizes=[b.A4] * 9 + [b.A3]))
    budget = tmp_path / "资金预算表.xlsx"
    budget.write_bytes(b.budget_xlsx(central=8000))
    assert main(["analyse", str(plan), str(budget), "--province", "山东省"]) == 0
    out = capsys.readouterr().out
    assert "[1] 实施方案.pdf: 实施方案（title" in out and "9 页 A4 + 1 页 A3 = 11 页" in out
    assert "中央财政补助 8000 万元" in out
    assert "plan_over_page_limit: 实施方案: 9 页 A4 + 1 页 A3 = 11 页, 超过 10 页" in out
    assert "依据：二（三） 实施方案不得超过10页" in out
    assert "missing_cover_letter" in out and "subsidy_over_cap" not in out
