"""The VS Code extension's package (editors/vscode/fairlint-<version>.vsix, built by .ci/run with
``npm ci && npm run build && npx @vscode/vsce package``): manifest, contents, settings that
mirror the server's."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from orchestrator import __version__
from orchestrator.lsp.settings import KEYS
from orchestrator.model import Severity

EXTENSION = Path(__file__).resolve().parents[2] / "editors" / "vscode"
VSIX = EXTENSION / f"fairlint-{__version__}.vsix"
BUILD = "cd editors/vscode && npm ci && npm run build && npx @vscode/vsce package"


@pytest.fixture(scope="module")
def vsix() -> zipfile.ZipFile:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the VS Code extension is built with npm (apt-get install nodejs npm)")
    if not VSIX.is_file():
        if os.environ.get("FAIRLINT_REQUIRE_VSIX"):  # .ci/run builds it before the tests
            pytest.fail(f"{VSIX.name} was not built ({BUILD})")
        pytest.skip(f"{VSIX.name} is not built; build it with: {BUILD}")
    with zipfile.ZipFile(VSIX) as archive:
        yield archive


@pytest.fixture(scope="module")
def manifest(vsix) -> dict:
    return json.loads(vsix.read("extension/package.json"))


def test_manifest_identity_and_entry_point(vsix, manifest):
    assert manifest["name"] == "fairlint" and manifest["version"] == __version__
    assert manifest["main"] == "./out/extension.js"
    names = set(vsix.namelist())
    assert {"extension.vsixmanifest", "extension/out/extension.js", "extension/out/findings.js",
            "extension/out/fairlint.js", "extension/LICENSE.txt", "extension/readme.md"} <= names
    assert {"onLanguage:python", "onNotebook:jupyter-notebook"} <= set(manifest["activationEvents"])
    assert manifest["dependencies"]["vscode-languageclient"].startswith("^9.")


def test_contents_are_the_compiled_client_and_its_runtime_dependencies(vsix):
    names = vsix.namelist()
    assert "extension/node_modules/vscode-languageclient/node.js" in names
    assert not [n for n in names if n.endswith(".ts") and not n.endswith(".d.ts")]  # sources stay out
    assert not [n for n in names if "/node_modules/typescript/" in n or "/node_modules/@vscode/vsce" in n]
    assert not [n for n in names if n.endswith(".vsix") or "/src/" in n.split("node_modules")[0]]
    client = vsix.read("extension/out/fairlint.js").decode()
    assert "'-m', 'orchestrator.cli.main'" in client and "pip install 'fairlint[lsp]'" in client


def test_commands_and_the_findings_view(manifest):
    commands = {c["command"]: f'{c["category"]}: {c["title"]}' for c in manifest["contributes"]["commands"]}
    assert commands["fairlint.scanWorkspace"] == "fairlint: Scan workspace"
    assert commands["fairlint.showFindings"] == "fairlint: Show findings"
    assert [v["id"] for v in manifest["contributes"]["views"]["explorer"]] == ["fairlint.findings"]


def test_settings_mirror_the_server(vsix, manifest):
    properties = manifest["contributes"]["configuration"]["properties"]
    assert {f"fairlint.{key}" for key in KEYS} | {"fairlint.interpreter", "fairlint.trace.server"} == set(properties)
    assert properties["fairlint.minimumSeverity"]["enum"] == [s.value for s in reversed(Severity)]
    assert properties["fairlint.debounceMs"]["default"] == 200
    sent = vsix.read("extension/out/extension.js").decode()
    for key in KEYS:  # every server setting is passed to the server
        assert f"'{key}'" in sent, key
