"""Split archives: which files of a submission are volumes of one set, whether the set is complete, and
which volume is missing, in Chinese.

Names provinces' tools write: 7-Zip ``资料.7z.001``/``.002`` (raw split, also ``.zip.001``), WinRAR
``资料.part1.rar``/``.part01.rar`` (and the old ``资料.rar``, ``.r00``, ``.r01``), WinZip/WinRAR zip
``资料.z01``, ``.z02`` … ``资料.zip`` (the ``.zip`` is the last part). The headers add what names cannot
say (``headers.archive_facts``): the last zip part knows the count, a RAR volume knows if more follow,
a 7z first volume knows the whole size.

    sets = find_sets([(name, data), ...])
    for s in sets: s.complete, s.missing_names, s.message()
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from precheck.files.headers import archive_facts

_NNN = re.compile(r"^(?P<base>.+\.(?P<inner>7z|zip|rar|tar|gz|tgz))\.(?P<n>\d{3})$", re.I)
_PART = re.compile(r"^(?P<base>.+)\.part(?P<n>\d{1,4})\.rar$", re.I)
_ROLD = re.compile(r"^(?P<base>.+)\.r(?P<n>\d{2,3})$", re.I)
_ZOLD = re.compile(r"^(?P<base>.+)\.z(?P<n>\d{2,3})$", re.I)
SCHEME_ZH = {"nnn": "分卷压缩包", "part": "RAR 分卷压缩包", "rar_old": "RAR 分卷压缩包", "zip_split": "ZIP 分卷压缩包"}


@dataclass(frozen=True)
class VolumeName:
    base: str           # the set's name: "资料.7z", "资料" (part/rar_old/zip_split)
    scheme: str         # nnn / part / rar_old / zip_split
    index: int          # 1-based position in the set
    width: int = 3      # digits as written (part01 → 2)


def volume_name(filename: str) -> VolumeName | None:
    """The volume a file name says it is, or None. ``资料.rar`` and ``资料.zip`` alone are not volumes by name
    (their headers decide: see ``find_sets``)."""
    name = (filename or "").rsplit("/", 1)[-1].strip()
    if m := _NNN.match(name):
        return VolumeName(m["base"], "nnn", int(m["n"]), len(m["n"]))
    if m := _PART.match(name):
        return VolumeName(m["base"], "part", int(m["n"]), len(m["n"]))
    if m := _ROLD.match(name):
        return VolumeName(m["base"], "rar_old", int(m["n"]) + 2, len(m["n"]))      # .rar is 1, .r00 is 2
    if m := _ZOLD.match(name):
        return VolumeName(m["base"], "zip_split", int(m["n"]), len(m["n"]))
    return None


def expected_name(base: str, scheme: str, index: int, width: int, last: int | None = None) -> str:
    if scheme == "nnn":
        return f"{base}.{index:0{width}d}"
    if scheme == "part":
        return f"{base}.part{index:0{width}d}.rar"
    if scheme == "rar_old":
        return f"{base}.rar" if index == 1 else f"{base}.r{index - 2:0{width}d}"
    return f"{base}.zip" if last is not None and index == last else f"{base}.z{index:0{width}d}"


@dataclass
class VolumeSet:
    base: str
    scheme: str
    width: int
    members: dict[int, int] = field(default_factory=dict)     # 1-based volume index -> position in the input
    names: dict[int, str] = field(default_factory=dict)
    total: int | None = None           # known count of volumes
    more_after: bool = False           # the highest present volume says more follow (count unknown)

    @property
    def present(self) -> list[int]:
        return sorted(self.members)

    @property
    def missing(self) -> list[int]:
        top = self.total or max(self.members)
        return [i for i in range(1, top + 1) if i not in self.members]

    @property
    def complete(self) -> bool:
        return self.total is not None and not self.missing and not self.more_after

    @property
    def missing_names(self) -> list[str]:
        return [expected_name(self.base, self.scheme, i, self.width, self.total) for i in self.missing]

    @property
    def label(self) -> str:
        return SCHEME_ZH.get(self.scheme, "分卷压缩包")

    def message(self) -> str:
        """"分卷压缩包「资料.7z」共 3 卷，只收到第 1、3 卷，缺少第 2 卷（资料.7z.002）" and the like."""
        got = "、".join(str(i) for i in self.present)
        head = f"{self.label}「{self.display_base}」"
        if self.complete:
            return f"{head}共 {self.total} 卷，已全部收到"
        parts = []
        if self.total:
            parts.append(f"共 {self.total} 卷，只收到第 {got} 卷")
        else:
            parts.append(f"只收到第 {got} 卷")
        lack = self.missing
        if lack:
            names = "、".join(self.missing_names[:6]) + ("等" if len(lack) > 6 else "")
            parts.append(f"缺少第 {'、'.join(str(i) for i in lack[:12])} 卷（{names}）")
        if self.more_after or (self.total is None and not lack):
            parts.append(f"第 {max(self.members) + 1} 卷及之后的分卷未收到")
        return head + "，".join(parts) + "，无法解压，请补发全部分卷"

    @property
    def display_base(self) -> str:
        return self.base if self.scheme == "nnn" else self.base + (".zip" if self.scheme == "zip_split" else ".rar")


def find_sets(files: list[tuple[str, bytes]]) -> list[VolumeSet]:
    """Group the files that are volumes (by name, or by header for ``.rar``/``.zip``) into sets."""
    sets: dict[tuple[str, str], VolumeSet] = {}
    facts_by_pos = {}
    for pos, (name, data) in enumerate(files):
        vn = volume_name(name)
        facts = archive_facts(data[: 1 << 20] if vn is None or vn.scheme != "zip_split" else data)
        low = (name or "").rsplit("/", 1)[-1]
        if vn is None and facts.volume:
            stem = low.rsplit(".", 1)[0] if "." in low else low
            if facts.fmt == "zip" and facts.last_volume and facts.total_volumes:
                vn = VolumeName(stem, "zip_split", facts.total_volumes, 2)
            elif facts.fmt == "zip" and low.lower().endswith(".zip"):
                vn = None          # a spanned first segment renamed .zip: too rare to guess
            elif facts.fmt == "rar" and low.lower().endswith(".rar"):
                vn = VolumeName(stem, "rar_old", 1 + (facts.volume_index or 0), 2)
            elif facts.fmt == "7z":
                vn = VolumeName(low, "nnn", 1, 3)
        if vn is None:
            continue
        if vn.scheme == "nnn" and vn.index == 1 and not facts.volume and len(
                [n for n, _ in files if (volume_name(n) or VolumeName("", "", 0)).base == vn.base]) == 1:
            continue                   # "资料.7z.001" that is a whole archive: 7-Zip's split of one volume
        key = (vn.base.lower(), vn.scheme)
        s = sets.setdefault(key, VolumeSet(vn.base, vn.scheme, vn.width))
        s.members[vn.index] = pos
        s.names[vn.index] = name
        facts_by_pos[pos] = facts
    for s in sets.values():
        _fill_total(s, files, facts_by_pos)
    return list(sets.values())


def _fill_total(s: VolumeSet, files, facts_by_pos) -> None:
    if s.scheme == "zip_split":
        for i, pos in s.members.items():
            f = facts_by_pos[pos]
            if f.fmt == "zip" and f.last_volume and f.total_volumes:
                s.total = f.total_volumes
        if s.total is None:
            s.more_after = True          # the .zip (last part, with the directory) is missing
        return
    if s.scheme in ("part", "rar_old"):
        top = max(s.members)
        f = facts_by_pos[s.members[top]]
        if f.last_volume is True:
            s.total = top
        elif f.last_volume is False:
            s.more_after = True
        return
    # nnn: raw split; the first volume's 7z start header knows the whole size; all but the last are equal
    first = s.members.get(1)
    sizes = {i: len(files[p][1]) for i, p in s.members.items()}
    if first is not None:
        f = facts_by_pos[first]
        if f.expected_size and sizes[1] < f.expected_size:
            s.total = math.ceil(f.expected_size / sizes[1])
            return
        if f.fmt == "7z" and f.expected_size and sizes[1] >= f.expected_size:
            s.total = 1
            return
    top = max(s.members)
    full = max(sizes.values())
    if sizes[top] < full:
        s.total = top                    # the short one is the last
    else:
        s.more_after = True


def joined(s: VolumeSet, files: list[tuple[str, bytes]]) -> bytes | None:
    """The whole archive of a complete raw split (``.7z.001`` …), else None (zip/RAR sets need a tool)."""
    if not s.complete or s.scheme != "nnn":
        return None
    return b"".join(files[s.members[i]][1] for i in range(1, s.total + 1))
