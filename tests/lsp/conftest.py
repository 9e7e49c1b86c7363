"""A real client (pytest-lsp) driving ``fairlint lsp`` over stdio on a small workspace."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Union

import pytest
import pytest_asyncio

pytest.importorskip("pygls", reason="the 'lsp' extra is not installed (pip install -e '.[test]')")
from lsprotocol import types as lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, client_capabilities  # noqa: E402

SERVER = [sys.executable, "-m", "orchestrator.cli.main", "lsp"]

PREP = '''"""Prepare the census data."""
import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("adult.csv")
df = df.dropna()
X = df.drop(columns=["income", "sex"])
y = df["income"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
'''

TRAIN = '''"""Train and evaluate."""
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score


def fit_and_score(X_train, y_train, X_test, y_test):
    model = LogisticRegression().fit(X_train, y_train)
    return accuracy_score(y_test, model.predict(X_test))
'''

NOTEBOOK_CELLS = [
    ("markdown", "# Exploration\nLoad and clean."),
    ("code", "import pandas as pd\nframe = pd.read_csv('people.csv')"),
    ("code", "frame = frame.dropna()\nprint(len(frame))"),
]


def notebook(cells) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "python"}},
                       "cells": [{"cell_type": k, "metadata": {}, "source": s,
                                  **({"outputs": [], "execution_count": None} if k == "code" else {})}
                                 for k, s in cells]})


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "prep.py").write_text(PREP, encoding="utf-8")
    (root / "pkg" / "train.py").write_text(TRAIN, encoding="utf-8")
    (root / "explore.ipynb").write_text(notebook(NOTEBOOK_CELLS), encoding="utf-8")
    return root


@pytest_asyncio.fixture
async def client(workspace: Path, tmp_path: Path):
    """The server started in a real process, initialized on ``workspace``."""
    env = {**os.environ, "FAIRLINT_CACHE_DIR": str(tmp_path / "cache"), "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    config = ClientServerConfig(server_command=SERVER, server_env=env)
    lsp_client = await config.start()
    lsp_client.workspace_root = workspace
    converter = lsp_client.protocol._converter

    def command_or_action(obj, _type):
        # lsprotocol's client-side hook reads any object with a "command" key as a Command, but a
        # CodeAction's "command" is an object (LSP 3.17 §textDocument/codeAction); the spec's test:
        return converter.structure(obj, lsp.Command if isinstance(obj.get("command"), str) else lsp.CodeAction)

    converter.register_structure_hook(Union[lsp.Command, lsp.CodeAction], command_or_action)
    lsp_client.registrations = []

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)

    capabilities = client_capabilities("visual-studio-code")
    capabilities.notebook_document = lsp.NotebookDocumentClientCapabilities(
        lsp.NotebookDocumentSyncClientCapabilities())
    lsp_client.init_result = await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=capabilities,
        root_uri=workspace.as_uri(),
        workspace_folders=[lsp.WorkspaceFolder(workspace.as_uri(), "project")],
        initialization_options={"fairlint": {"debounceMs": 50}}))
    yield lsp_client
    await lsp_client.shutdown_session()
    await lsp_client.stop()


async def wait_for(predicate: Callable[[], object], timeout: float = 30.0, what: str = "a condition"):
    """Poll until ``predicate()`` is truthy (the server publishes asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def by_code(diagnostics, code: str):
    return [d for d in diagnostics if d.code == code]


def open_text(client, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
        uri, "python", version, path.read_text(encoding="utf-8") if text is None else text)))
    return uri


def replace_all(client, uri: str, text: str, version: int) -> None:
    """A full-text change (what a client sends for a big edit)."""
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version, uri),
        [lsp.TextDocumentContentChangeWholeDocument(text)]))
