"""What the repository's own code says about a finding's place, from a cheap text index.

Two questions the severity model asks (``orchestrator.pipeline.scoring``):

- **Which modules run together?** A module, the repository modules it imports (transitively),
  the modules that import it, and everything those import: the code that shares one entry
  point with it. People data loaded anywhere in that set reaches the module; people data in an
  unrelated script of the same repository does not. Imports are read with a regex (``import
  a.b``, ``from .c import d``), so a big repository costs one pass over its text.
- **Does anything call this function?** A module-level function whose name appears nowhere in
  the repository's files but on its own ``def`` line is dead code. The answer is conservative:
  methods, decorated functions, functions of a module with a ``__main__`` block or other
  top-level statements (a script), and names written in the repository's configuration files
  (``pyproject.toml`` entry points, shell scripts) all count as called.

Sources are the scanned texts (notebooks as their extracted code), keyed by '/'-separated path.
"""

from __future__ import annotations

import ast
import bisect
import os
import re
from collections import defaultdict
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

from orchestrator.pipeline.memo import LRU, text_size

_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^#\n]*)|import[ \t]+([^#\n]+))",
                     re.MULTILINE)
#: Files besides Python sources that can name a function (entry points, scripts, task runners).
CONFIG_NAMES = frozenset({"pyproject.toml", "setup.cfg", "tox.ini", "Makefile", "noxfile.py",
                          "Dockerfile", "Procfile"})
CONFIG_SUFFIXES = (".sh", ".toml", ".cfg", ".yml", ".yaml")
MAX_CONFIG_BYTES = 1_000_000
MAX_CONFIG_FILES = 200


def module_names(path: str) -> list[str]:
    """Dotted names a file can be imported as: every suffix of its package path
    (``src/pkg/mod.py`` -> ``src.pkg.mod``, ``pkg.mod``, ``mod``); a package's ``__init__``
    is the package."""
    return list(_module_names(path))


@lru_cache(maxsize=100_000)
def _module_names(path: str) -> tuple[str, ...]:
    p = PurePosixPath(path)
    if p.suffix not in (".py", ".ipynb"):
        return ()
    parts = list(p.parent.parts) + ([] if p.stem == "__init__" else [p.stem])
    parts = [x for x in parts if x not in ("", ".")]
    return tuple(".".join(parts[i:]) for i in range(len(parts)) if all(x.isidentifier() for x in parts[i:]))


#: Per-content facts (imports, top-level functions), keyed by the text (and path): a history
#: walk or the LSP server indexes the same unchanged files again and again.
_FACTS: LRU = LRU(20_000, 64 << 20, size=text_size)


def imported_names(path: str, text: str) -> set[str]:
    """Absolute dotted names a module's imports may refer to (relative imports resolved
    against its package; ``from a import b`` may mean the module ``a.b``)."""
    return set(_FACTS.get_or(("imports", path, text), lambda: frozenset(_imported_names(path, text))))


def _imported_names(path: str, text: str) -> set[str]:
    package = list(PurePosixPath(path).parent.parts)
    out: set[str] = set()
    for dots, module, names, plain in _IMPORT.findall(text):
        if plain:
            out.update(n.split(" as ")[0].strip() for n in plain.split(",") if n.strip())
            continue
        if dots:
            up = len(dots) - 1
            base = package[:len(package) - up] if up <= len(package) else []
            module = ".".join(base + ([module] if module else []))
        if not module:
            continue
        out.add(module)
        for name in names.replace(")", "").split(","):
            name = name.split(" as ")[0].strip()
            if name.isidentifier():
                out.add(f"{module}.{name}")
    return out


class CodeIndex:
    """Import graph and name references over the repository's scanned sources."""

    def __init__(self, sources: Mapping[str, str], root: Path | None = None) -> None:
        self.sources = dict(sources)
        self.root = root
        self._trees: dict[str, ast.Module | None] = {}
        self._together: dict[str, frozenset[str]] = {}

    # ------------------------------------------------------------ modules that run together
    @cached_property
    def _by_name(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = defaultdict(set)
        for path in self.sources:
            for name in _module_names(path):
                names[name].add(path)
        return names

    @cached_property
    def _graph(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        forward: dict[str, set[str]] = defaultdict(set)
        backward: dict[str, set[str]] = defaultdict(set)
        for path, text in self.sources.items():
            for name in imported_names(path, text):
                for target in self._by_name.get(name, ()):
                    if target != path:
                        forward[path].add(target)
                        backward[target].add(path)
        return forward, backward

    def together(self, path: str) -> frozenset[str]:
        """``path``, the modules importing it (transitively), and every module any of them
        imports (transitively)."""
        if path not in self._together:
            forward, backward = self._graph
            importers = _reach({path}, backward)
            self._together[path] = frozenset(_reach(importers, forward))
        return self._together[path]

    # ------------------------------------------------------------ dead code
    def uncalled(self, places: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """For each (path, line) inside a module-level function that nothing in the repository
        names besides its own definition: that function's name. Places in code that is (or may
        be) called are left out. One pass over the texts for all the names asked about."""
        candidates = {place: name for place in places if (name := self._function_at(*place))}
        counts = self._reference_counts(set(candidates.values()))
        return {place: name for place, name in candidates.items() if counts.get(name, 0) <= 1}

    def _function_at(self, path: str, line: int) -> str | None:
        text = self.sources.get(path)
        if text is None or not path.endswith(".py"):
            return None
        name = _enclosing_function(text, line)  # a text scan first: parsing big files costs seconds
        if name is None or _top_level_code(text):
            return None
        functions = _FACTS.get_or(("functions", text), lambda: _module_functions(self._tree(path)))
        if functions is None:
            return None
        for start, end, fname, decorated in functions:
            if start <= line <= end:
                if decorated or fname.startswith("__"):
                    return None
                return fname
        return None

    def _tree(self, path: str) -> ast.Module | None:
        if path not in self._trees:
            text = self.sources.get(path)
            tree = None
            if text is not None and path.endswith(".py"):  # notebooks run top to bottom
                try:
                    tree = ast.parse(text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
            self._trees[path] = tree
        return self._trees[path]

    def _reference_counts(self, names: set[str]) -> dict[str, int]:
        if not names:
            return {}
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        word = re.compile(rf"(?<![\w])(?:{alternation})(?![\w])")
        counts: dict[str, int] = defaultdict(int)
        for text in self._texts():
            if not any(name in text for name in names):  # substring tests first: 46 MB of regex costs seconds
                continue
            for found in word.findall(text):
                counts[found] += 1
        return counts

    def _texts(self) -> Iterable[str]:
        yield from self.sources.values()
        yield from self._config_texts

    @cached_property
    def _config_texts(self) -> list[str]:
        if self.root is None or not self.root.is_dir():
            return []
        texts: list[str] = []
        for folder, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__")]
            for name in files:
                if name in CONFIG_NAMES or (name.endswith(CONFIG_SUFFIXES) and not name.endswith(".py")):
                    full = Path(folder) / name
                    try:
                        if full.is_file() and not full.is_symlink() and full.stat().st_size <= MAX_CONFIG_BYTES:
                            texts.append(full.read_text(encoding="utf-8", errors="replace"))
                    except OSError:
                        continue
                    if len(texts) >= MAX_CONFIG_FILES:
                        return texts
        return texts


_TOP_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+(\w+)")


def _enclosing_function(text: str, line: int) -> str | None:
    """The module-level function whose lines hold ``line``, read from the text alone (a
    top-level ``def`` and the indented lines after it), or None. A cheap pre-check: only a hit
    is confirmed on the parsed module."""
    rows, names = _FACTS.get_or(("top-rows", text), lambda: _top_rows(text))
    at = bisect.bisect_left(rows, max(line, 0)) - 1  # the last top-level row before ``line``
    return names[at] if at >= 0 else None


def _top_rows(text: str) -> tuple[tuple[int, ...], tuple[str | None, ...]]:
    """The (0-based) index of every top-level row of ``text`` and the function each starts
    (None: a row that is no ``def``)."""
    rows, names = [], []
    for index, row in enumerate(text.split("\n")):
        if not row.strip() or row.startswith((" ", "\t", "#", ")", "]", "}")):
            continue
        match = _TOP_DEF.match(row)
        rows.append(index)
        names.append(match.group(1) if match else None)
    return tuple(rows), tuple(names)


def _module_functions(tree: ast.Module | None) -> tuple[tuple[int, int, str, bool], ...] | None:
    """Each module-level function's (first line, last line, name, decorated), or None when the
    module cannot be parsed or runs code (:func:`_runs_code`)."""
    if tree is None or _runs_code(tree):
        return None
    return tuple((node.lineno, node.end_lineno or node.lineno, node.name, bool(node.decorator_list))
                 for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))


_DEFINES = re.compile(r"(?:(?:async[ \t]+)?def|class|import|from|@|try:|except|else:|finally:|#|\"\"\"|'\'\'|[)\]}]|[\w.]+[ \t]*(?::[^=]*)?=[^=(]*$)")


def _top_level_code(text: str) -> bool:
    return _FACTS.get_or(("top-code", text), lambda: _scan_top_level_code(text))


def _scan_top_level_code(text: str) -> bool:
    """Whether a top-level line does more than define things (a call, a loop, ``if __name__``),
    read from the text: a module that runs code is a script, and whatever it defines may be
    used by it. Conservative: any line it cannot place counts as code."""
    in_string = False
    for row in text.split("\n"):
        quotes = row.count('"""') + row.count("\'\'\'")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        if not row.strip() or row.startswith((" ", "\t")):
            continue
        if not _DEFINES.match(row):
            return True
        if quotes % 2 == 1:
            in_string = True
    return False


def _reach(start: set[str], edges: Mapping[str, set[str]]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _runs_code(tree: ast.Module) -> bool:
    """Whether importing or running the module does more than define things: a ``__main__``
    block, a call, a loop... (a script: whatever it defines may be used by it)."""
    return any(not _definition(node) for node in tree.body)


def _definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
                         ast.ClassDef, ast.Pass)):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant)  # a docstring
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return node.value is None or not any(isinstance(n, ast.Call) for n in ast.walk(node.value))
    if isinstance(node, ast.Try):  # try: import x / except ImportError: x = None
        return all(_definition(n) for n in node.body + node.orelse + node.finalbody
                   + [n for h in node.handlers for n in h.body])
    return False
