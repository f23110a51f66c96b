"""The architecture, pinned (issue 10): which folder may import which, parsed from the code with ``ast``.

    adapters (intake, bot) → core → precheck → core.vocabulary / core.findings, models, config

intake and bot never import each other; precheck is pure (no ORM: neither ``models`` nor tortoise); only the
CLI (and tests, benchmarks) reach ``demo``; and no product module hides a broken import behind
``except ImportError``.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ("core", "precheck", "intake", "bot", "demo", "models", "config", "cli")
PURE_CORE = {"core.vocabulary", "core.findings"}        # the contract: importable from every layer
# pure data the readers share with the chat (the gazetteer; stdlib + the wheel's data only): precheck may use it
PRECHECK_CORE = PURE_CORE | {"core.places", "core.textnorm"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Absolute module names a file imports (top level and inside functions)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def _edges():
    for top in PRODUCT:
        for path in sorted((REPO / top).rglob("*.py")):
            mod = ".".join(path.relative_to(REPO).with_suffix("").parts)
            for line, name in _imports(path):
                if name.split(".")[0] in PRODUCT:
                    yield mod, name, f"{path.relative_to(REPO)}:{line}"


def _is_module(name: str) -> bool:
    parts = name.split(".")
    return (REPO.joinpath(*parts).with_suffix(".py").exists() or (REPO.joinpath(*parts) / "__init__.py").exists())


def _violations(rule) -> list[str]:
    return sorted({f"{where}: {src} imports {dst}" for src, dst, where in _edges()
                   if _is_module(dst) and rule(src, dst)})


def _top(name: str) -> str:
    return name.split(".")[0]


def test_intake_and_bot_never_import_each_other():
    assert _violations(lambda s, d: {_top(s), _top(d)} == {"intake", "bot"}) == []


def test_core_imports_no_adapter():
    assert _violations(lambda s, d: _top(s) == "core" and _top(d) in ("intake", "bot", "demo", "cli")) == []


def test_precheck_is_pure():
    def bad(s, d):
        if _top(s) != "precheck":
            return False
        if _top(d) in ("models", "intake", "bot", "demo", "cli"):
            return True
        return _top(d) == "core" and d not in PRECHECK_CORE
    assert _violations(bad) == []


def test_models_and_config_sit_at_the_bottom():
    def bad(s, d):
        if _top(s) == "config":
            return _top(d) != "config"
        if _top(s) == "models":
            return _top(d) not in ("models", "config") and d not in PURE_CORE
        if s in PURE_CORE:
            return d not in PURE_CORE
        return False
    assert _violations(bad) == []


def test_only_the_cli_reaches_the_demo():
    assert _violations(lambda s, d: _top(d) == "demo" and _top(s) not in ("demo", "cli")) == []


def test_precheck_loads_no_orm_at_run_time():
    code = ("import sys, precheck.analysis, precheck.checks, precheck.parse, precheck.attribution, "
            "precheck.document_kind, precheck.files.tasks; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('tortoise', 'models', 'intake', 'bot')); "
            "print(bad); sys.exit(1 if bad else 0)")
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr


def test_no_product_module_hides_a_broken_import():
    found = []
    for top in PRODUCT:
        for path in (REPO / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    names = [n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)]
                    if {"ImportError", "ModuleNotFoundError"} & set(names):
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


def test_every_check_quotes_a_rule_of_the_call():
    from config.call import load_call
    from precheck.checks import CHECKS, SCOPES

    call = load_call("2023")
    ids = {r.id for r in call.rules}
    assert len(CHECKS) == len({c.name for c in CHECKS}) == 29   # + forwarded_mail, electronic_seal_invalid (14); sender authentication, arrival time, folder, unconfirmed (12); seal_colour_undecidable (11)
    for c in CHECKS:
        assert c.scope in SCOPES and (c.rule == "" or c.rule in ids), c.name
        assert not hasattr(c, "clause"), f"{c.name} carries its own clause text; it must come from the call config"


def _declared_distributions() -> set[str]:
    import re
    import tomllib
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for spec in project["dependencies"]:
        names.add(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_every_third_party_import_is_a_declared_dependency():
    """A product module's import must be installable from ``dependencies`` alone: CI builds a fresh venv, and a
    package that only a developer's venv holds (bm25s, scikit-learn once) fails there and nowhere else."""
    from importlib.metadata import packages_distributions, requires
    declared = _declared_distributions()
    # what the declared packages pull in themselves is installed as well (e.g. pdfminer.six by pdfplumber)
    pulled = set()
    for name in declared:
        for req in requires(name) or []:
            if "extra ==" not in req:
                pulled.add(req.split(";")[0].strip().split(" ")[0].split("[")[0].split(">")[0].split("<")[0]
                           .split("=")[0].split("!")[0].split("~")[0].lower().replace("_", "-"))
    dists = packages_distributions()
    stdlib = sys.stdlib_module_names
    missing = set()
    for top in PRODUCT:
        for path in sorted((REPO / top).rglob("*.py")):
            for line, name in _imports(path):
                root = name.split(".")[0]
                if root in PRODUCT or root in stdlib or root == "__future__":
                    continue
                owners = {d.lower().replace("_", "-") for d in dists.get(root, [])}
                if not owners & (declared | pulled):
                    missing.add(f"{path.relative_to(REPO)}:{line}: {root} (installed from {sorted(owners) or 'nowhere'})")
    assert sorted(missing) == []


def test_receiving_and_worker_processes_load_no_parser():
    """The parsers (cv2, numpy, pdfium, pikepdf, libarchive, PIL: ~70 MiB resident) are loaded by the sandbox
    children's forkserver only; the intake process and its worker process name the children's functions
    (precheck.sandbox.Named) instead of importing them."""
    code = ("import sys, intake.daemon, intake.worker_main, intake.pipeline, intake.worker, intake.ocr_backlog, "
            "precheck.analysis; "
            "bad = sorted({m.split('.')[0] for m in sys.modules} & {'cv2', 'numpy', 'pikepdf', 'pypdfium2', "
            "'PIL', 'libarchive', 'pillow_heif', 'precheck.files.tasks'} | "
            "({'precheck.files.tasks'} & set(sys.modules))); print(bad); sys.exit(1 if bad else 0)")
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
