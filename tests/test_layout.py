"""The package's layering: no module imports one from a layer above its own.

core (model, config, proc, git) <- rules <- pipeline / engines / formats <- gate / study / measure /
lsp / history <- cli. The package's ``__init__`` is the public API and may re-export from any
layer. A new sub-package must be placed in ``LAYERS`` (the test fails until it is).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "orchestrator"

LAYERS = {
    "model": 0, "config": 0, "proc": 0, "git": 0, "safeio": 0, "escape": 0, "settings": 0,
    "rules": 1,
    "pipeline": 2, "engines": 2, "formats": 2, "flow": 2,
    "gate": 3, "study": 3, "measure": 3, "lsp": 3, "history": 3,
    "cli": 4,
}
# Imports inside a function that reach up on purpose, each with its reason.
ALLOWED = {
    # ScanConfig.vocabulary() (public API) builds the vocabulary the config's extra terms name.
    ("orchestrator.config", "orchestrator.rules.vocabulary"),
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts == ["orchestrator"]:
        return None
    return LAYERS.get(parts[1])


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []  # type-only imports do not run
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found.append((node.lineno, node.module if node.module != "orchestrator"
                              else f"orchestrator.{alias.name}"))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
    return [(line, mod) for line, mod in found if mod.startswith("orchestrator.")]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _name(p))
def test_no_module_imports_a_layer_above_its_own(path):
    module = _name(path)
    own = _layer(module)
    if module == "orchestrator" or module == "orchestrator.__main__":
        return
    assert own is not None, f"{module}: place its sub-package in tests/test_layout.py LAYERS"
    upward = [f"line {line}: {target}" for line, target in _imports(path)
              if _layer(target) is not None and _layer(target) > own and (module, target) not in ALLOWED
              and not any(target.startswith(a + ".") or target == a for m, a in ALLOWED if m == module)]
    assert not upward, f"{module} (layer {own}) imports from a layer above: {upward}"


def test_every_sub_package_has_a_layer():
    packages = {p.parent.name for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE}
    subpackages = {p for p in packages if (PACKAGE / p).is_dir()}
    assert subpackages <= set(LAYERS), sorted(subpackages - set(LAYERS))


def test_the_check_sees_an_upward_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from orchestrator.cli.main import main\nfrom orchestrator import proc\n")
    assert _imports(probe) == [(1, "orchestrator.cli.main"), (2, "orchestrator.proc")]
    assert _layer("orchestrator.cli.main") > _layer("orchestrator.pipeline.scan")
