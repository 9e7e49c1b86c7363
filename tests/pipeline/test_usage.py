"""The code index behind the severity model's module context: imports and dead code."""

from __future__ import annotations

from orchestrator.pipeline.usage import CodeIndex, imported_names, module_names


def test_module_names_are_every_package_suffix():
    assert module_names("src/pkg/mod.py") == ["src.pkg.mod", "pkg.mod", "mod"]
    assert module_names("pkg/__init__.py") == ["pkg"]
    assert module_names("my-scripts/run.py") == ["run"]  # a folder that is no identifier
    assert module_names("README.md") == []


def test_imports_absolute_relative_and_from_forms():
    text = ("import os, pkg.data as d\nfrom .models import net\nfrom ..util import (a,\n"
            "    b)\n# import commented\nx = 'import nothing'\n")
    names = imported_names("pkg/sub/train.py", text)
    assert {"os", "pkg.data", "pkg.sub.models", "pkg.sub.models.net", "pkg.util", "pkg.util.a"} <= names
    assert "commented" not in names and "nothing" not in names


def test_modules_that_run_together_follow_imports_both_ways():
    sources = {
        "main.py": "from data import load\nfrom prune_utils import prune_all\n",
        "data.py": "def load():\n    return read('faces.csv')\n",
        "prune_utils.py": "def prune_all(m):\n    pass\n",
        "other_experiment.py": "import helpers\n",
        "helpers.py": "",
    }
    index = CodeIndex(sources)
    # prune_utils is imported by main, which imports data: they run together.
    assert index.together("prune_utils.py") == {"prune_utils.py", "main.py", "data.py"}
    # an unrelated script does not reach them
    assert index.together("other_experiment.py") == {"other_experiment.py", "helpers.py"}


LIB = '''"""Helpers."""
import torch

SEED = 3


def used(x):
    return x


def dead(model):
    torch.nn.utils.prune.l1_unstructured(model, "weight", 0.5)


@register
def decorated(model):
    return model


class Trainer:
    def step(self):
        return 1
'''


def test_a_function_nothing_names_is_uncalled_and_its_near_misses_are_not(tmp_path):
    sources = {"lib.py": LIB, "run.py": "from lib import used\nused(1)\n"}
    index = CodeIndex(sources, tmp_path)
    found = index.uncalled([("lib.py", 12), ("lib.py", 8), ("lib.py", 17), ("lib.py", 22), ("lib.py", 4)])
    assert found == {("lib.py", 12): "dead"}


def test_a_script_calls_what_it_defines(tmp_path):
    script = LIB + "\nif __name__ == '__main__':\n    Trainer().step()\n"
    assert CodeIndex({"lib.py": script}, tmp_path).uncalled([("lib.py", 12)]) == {}
    top_level = LIB + "\nmodel = build()\n"
    assert CodeIndex({"lib.py": top_level}, tmp_path).uncalled([("lib.py", 12)]) == {}


def test_a_name_in_configuration_files_counts_as_a_call(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project.scripts]\nprune = "lib:dead"\n')
    assert CodeIndex({"lib.py": LIB}, tmp_path).uncalled([("lib.py", 12)]) == {}
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "run.sh").write_text("python -c 'import lib; lib.dead(m)'\n")
    assert CodeIndex({"lib.py": LIB}, tmp_path).uncalled([("lib.py", 12)]) == {}


def test_notebooks_and_unparsable_files_are_never_uncalled(tmp_path):
    index = CodeIndex({"a.ipynb": "def f():\n    pass\n", "b.py": "def f(:\n"}, tmp_path)
    assert index.uncalled([("a.ipynb", 2), ("b.py", 1)]) == {}
