"""``fairlint lsp`` end to end: a real client (pytest-lsp) and the server process over stdio."""

from __future__ import annotations

import json

import pytest
from lsprotocol import types as lsp

from tests.lsp.conftest import NOTEBOOK_CELLS, PREP, by_code, open_text, replace_all, wait_for

pytestmark = pytest.mark.asyncio


def engine_reads(client) -> list[str]:
    """What each analysis logged as the files an engine read (cache misses)."""
    return [m.message.split("engine read ", 1)[1].split(": ", 1)[1]
            for m in client.log_messages if "engine read " in m.message]


async def test_initialize_advertises_the_features(client):
    caps = client.init_result.capabilities
    assert client.init_result.server_info.name == "fairlint"
    assert caps.hover_provider and caps.code_action_provider
    assert caps.text_document_sync.change == lsp.TextDocumentSyncKind.Incremental
    assert caps.text_document_sync.save is not None
    selector = caps.notebook_document_sync.notebook_selector[0]
    assert selector.notebook == "jupyter-notebook" and selector.cells[0].language == "python"
    assert set(caps.execute_command_provider.commands) >= {"fairlint.showPosition", "fairlint.openDocs"}
    # the workspace's files and policy are watched
    await wait_for(lambda: client.registrations, what="the file watcher registration")
    globs = [w["globPattern"] for w in client.registrations[0].register_options["watchers"]]
    assert "**/.fairlint.yml" in globs and "**/*.ipynb" in globs


async def test_open_publishes_file_and_repository_findings(client):
    uri = open_text(client, client.workspace_root / "pkg" / "prep.py")
    diags = await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "missing-rows-dropped") and
                           client.diagnostics[uri], what="diagnostics of prep.py")
    (dropna,) = by_code(diags, "missing-rows-dropped")
    assert dropna.range.start == lsp.Position(5, 5)  # df.dropna() on line 6, after "df = "
    assert dropna.source == "fairlint"
    assert dropna.code_description.href.endswith("docs/rules.md#missing-rows-dropped")
    # the first sentence only; the rest is on hover
    assert dropna.message.startswith("`df` is filtered by deleting every row")
    assert "Missingness is rarely random" not in dropna.message and dropna.message.endswith("[DP01, high]")
    assert dropna.severity == lsp.DiagnosticSeverity.Error  # the default policy fails on high
    (split,) = by_code(diags, "unstratified-split")
    assert split.severity == lsp.DiagnosticSeverity.Warning and split.range.start.line == 8
    # repository-level: fairness through unawareness, anchored on the drop, with its evidence
    (unaware,) = by_code(diags, "fairness-through-unawareness")
    assert unaware.range.start.line == 6
    related = {(r.message, r.location.uri, r.location.range.start.line) for r in unaware.related_information}
    assert ("evidence: protected-column-dropped", uri, 6) in related


async def test_change_reanalyses_only_the_edited_document(client):
    path = client.workspace_root / "pkg" / "prep.py"
    uri = open_text(client, path)
    await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "missing-rows-dropped"), what="first diagnostics")
    reads_before = len(engine_reads(client))
    # several quick edits: debounced into (at most) a couple of analyses of the last text
    edited = PREP.replace("df = df.dropna()\n", "df = df.fillna(0)\n")
    for version, text in enumerate([PREP + "\n", PREP + "\n\n", edited], start=2):
        replace_all(client, uri, text, version)
    await wait_for(lambda: not by_code(client.diagnostics.get(uri, []), "missing-rows-dropped"),
                   what="the dropna finding to go")
    assert by_code(client.diagnostics[uri], "unstratified-split")
    later = [entry for entry in engine_reads(client)[reads_before:] if entry != "-"]
    assert later and all(entry == "pkg/prep.py" for entry in later), later  # never the whole folder
    assert len(later) < 3  # the three changes were debounced
    # an unsaved buffer is analysed; the file on disk is untouched
    assert "dropna" in path.read_text(encoding="utf-8")


async def test_save_of_the_policy_applies_it(client):
    uri = open_text(client, client.workspace_root / "pkg" / "prep.py")
    await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "missing-rows-dropped"), what="diagnostics")
    policy = client.workspace_root / ".fairlint.yml"
    policy.write_text("fail-on: critical\ndisable: [DP01]\n", encoding="utf-8")
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(policy.as_uri())))
    await wait_for(lambda: not by_code(client.diagnostics.get(uri, []), "missing-rows-dropped"),
                   what="DP01 disabled by the policy")
    (unaware,) = by_code(client.diagnostics[uri], "fairness-through-unawareness")
    assert unaware.severity == lsp.DiagnosticSeverity.Warning  # high no longer fails: fail-on critical
    # a broken policy: said on the policy file, the default policy applies meanwhile
    policy.write_text("fail-on: sometimes\n", encoding="utf-8")
    client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        [lsp.FileEvent(policy.as_uri(), lsp.FileChangeType.Changed)]))
    problems = await wait_for(lambda: client.diagnostics.get(policy.as_uri()), what="the policy error")
    assert problems[0].code == "policy" and "fail-on" in problems[0].message
    await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "missing-rows-dropped"), what="default policy")


async def test_hover_explains_the_finding(client):
    uri = open_text(client, client.workspace_root / "pkg" / "prep.py")
    await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "missing-rows-dropped"), what="diagnostics")
    hover = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(5, 8)))
    text = hover.contents.value
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    assert "**fairlint DP01: Rows with missing values deleted**" in text
    assert "Missingness is rarely random" in text  # the rest of the message: why, what to do
    assert "**References**" in text and "https://doi.org/" in text
    assert "**Score factors**" in text and "| likelihood-x-impact |" in text
    assert "rules.md#missing-rows-dropped" in text
    nothing = await client.text_document_hover_async(lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 2)))
    assert nothing is None


async def test_code_actions_suppress_stratify_and_document(client):
    path = client.workspace_root / "pkg" / "prep.py"
    uri = open_text(client, path)
    diags = await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "unstratified-split") and
                           client.diagnostics[uri], what="diagnostics")
    (split,) = by_code(diags, "unstratified-split")
    actions = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(uri), split.range, lsp.CodeActionContext([split])))
    titles = [a.title for a in actions]
    assert titles == ["Stratify the split on y (the labels)",
                      "Stratify the split on a column you choose (e.g. label and protected attribute)",
                      "Suppress unstratified-split with a reason",
                      "Open the documentation of unstratified-split"]
    stratify = actions[0].edit.changes[uri][0]
    assert stratify.new_text == ", stratify=y" and stratify.range.start == lsp.Position(8, 71)
    chosen = actions[1]
    assert chosen.edit.changes[uri][0].new_text == ", stratify="
    assert list(chosen.command.arguments) == [uri, 8, 82]
    suppress = actions[2]
    (insert,) = suppress.edit.changes[uri]
    assert insert.new_text == "# fairlint: ignore[unstratified-split] reason: \n"
    assert insert.range.start == lsp.Position(8, 0)
    assert suppress.command.command == "fairlint.showPosition"
    # the editor applies the edit, then runs the command: the cursor lands after "reason: "
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(
        suppress.command.command, suppress.command.arguments))
    shown = await wait_for(lambda: client.shown_documents, what="window/showDocument")
    assert shown[-1].uri == uri and shown[-1].selection.start == lsp.Position(8, 47)
    docs = actions[3].command
    await client.workspace_execute_command_async(lsp.ExecuteCommandParams(docs.command, docs.arguments))
    await wait_for(lambda: len(client.shown_documents) == 2, what="the documentation")
    assert client.shown_documents[-1].uri.endswith("docs/rules.md#unstratified-split")
    # the suppression without a reason fails the gate, and the editor says so; with one it hides the finding
    lines = PREP.splitlines(keepends=True)
    replace_all(client, uri, "".join(lines[:8] + [insert.new_text] + lines[8:]), 2)
    missing = await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "suppression"), what="missing reason")
    assert missing[0].severity == lsp.DiagnosticSeverity.Error and "reason" in missing[0].message
    assert by_code(client.diagnostics[uri], "unstratified-split")
    with_reason = insert.new_text.replace("reason: ", "reason: stratified by the loader upstream")
    replace_all(client, uri, "".join(lines[:8] + [with_reason] + lines[8:]), 3)
    await wait_for(lambda: not by_code(client.diagnostics.get(uri, []), "unstratified-split")
                   and not by_code(client.diagnostics.get(uri, []), "suppression"), what="the suppression")


async def test_notebook_cells_get_their_findings(client):
    nb_path = client.workspace_root / "explore.ipynb"
    nb_uri = nb_path.as_uri()
    cells, docs = [], []
    for i, (kind, text) in enumerate(NOTEBOOK_CELLS):
        cell_uri = f"vscode-notebook-cell:{nb_path}#cell{i}"
        cells.append(lsp.NotebookCell(lsp.NotebookCellKind.Code if kind == "code" else lsp.NotebookCellKind.Markup,
                                      cell_uri))
        docs.append(lsp.TextDocumentItem(cell_uri, "python" if kind == "code" else "markdown", 1, text))
    client.notebook_document_did_open(lsp.DidOpenNotebookDocumentParams(
        lsp.NotebookDocument(nb_uri, "jupyter-notebook", 1, cells), docs))
    cell2 = docs[2].uri
    diags = await wait_for(lambda: by_code(client.diagnostics.get(cell2, []), "missing-rows-dropped"),
                           what="the notebook cell's diagnostics")
    assert diags[0].range.start.line == 0  # line 1 of cell 2 (index over all cells, markdown included)
    # an edit of the cell in the editor (not saved) moves the finding
    client.notebook_document_did_change(lsp.DidChangeNotebookDocumentParams(
        lsp.VersionedNotebookDocumentIdentifier(2, nb_uri),
        lsp.NotebookDocumentChangeEvent(cells=lsp.NotebookDocumentCellChanges(text_content=[
            lsp.NotebookDocumentCellContentChanges(lsp.VersionedTextDocumentIdentifier(2, cell2), [
                lsp.TextDocumentContentChangePartial(lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                                                     "print('cleaning')\n")])]))))
    await wait_for(lambda: [d for d in by_code(client.diagnostics.get(cell2, []), "missing-rows-dropped")
                            if d.range.start.line == 1], what="the moved finding")
    assert json.loads(nb_path.read_text(encoding="utf-8"))["cells"][2]["source"].startswith("frame = frame.dropna()")


async def test_a_file_that_does_not_parse(client):
    path = client.workspace_root / "pkg" / "broken.py"
    text = "import pandas as pd\ndf = pd.read_csv('x.csv').dropna()\ndef oops(:\n    pass\n"
    uri = open_text(client, path, text)
    diags = await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "not-analysed"), what="the parse problem")
    assert diags[0].range.start.line == 2 and "syntax error" in diags[0].message
    assert diags[0].severity == lsp.DiagnosticSeverity.Information
    assert by_code(client.diagnostics[uri], "missing-rows-dropped")  # analysed as far as it parses
    replace_all(client, uri, text.replace("def oops(:", "def oops():"), 2)
    await wait_for(lambda: not by_code(client.diagnostics.get(uri, []), "not-analysed"), what="the fix")


async def test_settings_change_minimum_severity_and_vocabulary(client):
    path = client.workspace_root / "pkg" / "prep.py"
    text = PREP + 'df["caste_code"] = df["caste"].map({"a": 0, "b": 1})\n'
    uri = open_text(client, path, text)
    diags = await wait_for(lambda: by_code(client.diagnostics.get(uri, []), "missing-rows-dropped")
                           and client.diagnostics[uri], what="diagnostics")
    assert not [d for d in diags if "caste" in d.message]
    client.set_configuration({"minimumSeverity": "high", "protectedAttributes": ["caste"], "debounceMs": 50},
                             section="fairlint")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    await wait_for(lambda: not by_code(client.diagnostics.get(uri, []), "unstratified-split"),
                   what="medium findings hidden")
    diags = client.diagnostics[uri]
    assert by_code(diags, "missing-rows-dropped")  # high stays
    assert all(d.message.endswith(("high]", "critical]")) for d in diags if d.source == "fairlint" and d.code != "suppression")
