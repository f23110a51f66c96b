"""The gazetteer's province pinyin comes from a fixed table (pypinyin's phrase dictionary would stay resident in the
intake, ~120 MiB, for 34 words): the table must say what pypinyin says, and building the places must not import it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypinyin import lazy_pinyin

from core.places import PROVINCE, PROVINCE_PINYIN, build_places

REPO = Path(__file__).resolve().parents[2]


def test_table_is_pypinyin_for_every_province():
    provinces = [p for p in build_places() if p.level == PROVINCE]
    assert len(provinces) == 34
    for p in provinces:
        assert PROVINCE_PINYIN[p.short] == "".join(lazy_pinyin(p.short)).lower() == p.pinyin, p.short


def test_building_the_places_does_not_import_pypinyin_and_stays_small():
    code = ("import sys, tracemalloc; tracemalloc.start(); from core.places import build_places; n = len(build_places());"
            "print(n, 'pypinyin' in sys.modules, tracemalloc.get_traced_memory()[1])")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    assert int(out[0]) > 3000 and out[1] == "False"
    assert int(out[2]) < 32 * 2**20            # was ~134 MiB: the whole text split into lines at once
