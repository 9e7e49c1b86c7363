"""The pygls Language Server: documents in, diagnostics, hovers and code actions out.

Every workspace folder is a :class:`~orchestrator.lsp.project.Project`. An open, change
(after ``debounceMs`` of quiet), save or close schedules an analysis of the document's folder;
analyses of one folder run one at a time in a worker thread (the protocol stays responsive),
and a newer request replaces one still waiting. The first analysis of a folder scans it whole
(the result cache makes it quick after the first session); later ones send only changed
contents to Semgrep and recompute repository-level findings from the cached per-file results.
Diagnostics are published for every file with findings (repository-level ones stand on their
anchor lines) and only when they changed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from orchestrator import __version__
from orchestrator.gate.policy import POLICY_FILE
from orchestrator.lsp import actions, convert
from orchestrator.lsp.convert import Place, Shown
from orchestrator.lsp.project import Analysis, Project, notebook_json
from orchestrator.lsp.settings import Settings

log = logging.getLogger(__name__)

KINDS = {".py": "python", ".ipynb": "notebook"}
#: Files the configuration is read from (orchestrator.settings: .fairlint.yml, pyproject [tool.fairlint]).
CONFIG_FILES = (POLICY_FILE, "pyproject.toml")
#: Skipped reasons shown in the editor (the file was analysed partly); others go to the log.
SHOWN_SKIPS = ("syntax error", "could not parse", "timed out", "broken notebook", "undecodable")


class FairlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "fairlint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(
                notebook_selector=[lsp.NotebookDocumentFilterWithCells(
                    cells=[lsp.NotebookCellLanguage("python")], notebook="jupyter-notebook")],
                save=True))
        self.settings = Settings()
        self.projects: dict[Path, Project] = {}
        self.mirror = tempfile.TemporaryDirectory(prefix="fairlint-lsp-")
        os.chmod(self.mirror.name, 0o700)
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fairlint-analysis")
        self.shown: dict[str, list[Shown]] = {}
        self.published: dict[Project, dict[str, list[lsp.Diagnostic]]] = {}
        self.uris: dict[tuple[Path, str], str] = {}  # (project root, rel) -> the client's URI
        self._waiting: dict[Project, asyncio.Task] = {}
        self._locks: dict[Project, asyncio.Lock] = {}
        self._all_engines: dict[Project, bool] = {}
        self._told: set[str] = set()
        self.last_analysis: dict[Project, Analysis] = {}

    # ------------------------------------------------------------ folders and documents
    def folders(self) -> list[Path]:
        roots = [Path(to_fs_path(f.uri)) for f in self.workspace.folders.values()]
        if not roots and self.workspace.root_path:
            roots = [Path(self.workspace.root_path)]
        return [r.resolve() for r in roots]

    def project_for(self, path: Path) -> tuple[Project, str] | None:
        """The project of a file and its path in it (the deepest folder holding it, else a
        project of its own folder that analyses only the open documents)."""
        path = Path(os.path.abspath(path))
        if KINDS.get(path.suffix.lower()) is None:
            return None
        candidates = [r for r in self.folders() if r == path.parent or r in path.parents]
        root = max(candidates, key=lambda r: len(r.parts)) if candidates else path.parent.resolve()
        project = self.project(root, walk=bool(candidates))
        rel = project.rel(path)
        return (project, rel) if rel else None

    def project(self, root: Path, walk: bool = True) -> Project:
        if root not in self.projects:
            work = Path(self.mirror.name) / f"p{len(self.projects)}"
            self.projects[root] = Project(root, self.settings, work, walk=walk)
        return self.projects[root]

    def document_changed(self, uri: str, *, delay: float | None = None, all_engines: bool = False,
                         closed: bool = False) -> None:
        path = Path(to_fs_path(uri) or "") if uri.startswith("file:") else None
        found = self.project_for(path) if path and KINDS.get(path.suffix.lower()) == "python" else None
        if not found:
            return  # not a Python file (notebook cells arrive through the notebook sync)
        project, rel = found
        if closed:
            project.drop_buffer(rel)
        else:
            self.uris[(project.root, rel)] = uri
            project.set_buffer(rel, "python", self.workspace.get_text_document(uri).source)
        self.schedule(project, delay, all_engines)

    def notebook_changed(self, notebook_uri: str, *, delay: float | None = None, all_engines: bool = False,
                         closed: bool = False) -> None:
        found = self.project_for(Path(to_fs_path(notebook_uri) or ""))
        if not found:
            return
        project, rel = found
        nb = None if closed else self.workspace.get_notebook_document(notebook_uri=notebook_uri)
        if nb is None:
            project.drop_buffer(rel)
        else:
            cells = [("code" if c.kind == lsp.NotebookCellKind.Code else "markdown",
                      self.workspace.get_text_document(c.document).source) for c in nb.cells]
            self.uris[(project.root, rel)] = notebook_uri
            project.set_buffer(rel, "notebook", notebook_json(cells))
        self.schedule(project, delay, all_engines)

    # ------------------------------------------------------------ scheduling
    def schedule(self, project: Project, delay: float | None = None, all_engines: bool = False) -> None:
        """Analyse ``project`` after ``delay`` seconds (default: the debounce); a request still
        waiting is replaced."""
        delay = self.settings.debounce_ms / 1000 if delay is None else delay
        self._all_engines[project] = self._all_engines.get(project, False) or all_engines
        waiting = self._waiting.pop(project, None)
        if waiting is not None:
            waiting.cancel()
        self._waiting[project] = asyncio.ensure_future(self._analyse_later(project, delay))

    async def _analyse_later(self, project: Project, delay: float) -> None:
        await asyncio.sleep(delay)
        lock = self._locks.setdefault(project, asyncio.Lock())
        async with lock:
            if self._waiting.get(project) is asyncio.current_task():
                del self._waiting[project]  # from here on, a newer request waits for this one
            else:
                return
            all_engines = self._all_engines.pop(project, False)
            loop = asyncio.get_running_loop()
            try:
                analysis = await loop.run_in_executor(self.pool, project.analyse, all_engines)
            except Exception as exc:  # a tool error: say so, keep serving
                log.exception("analysis failed")
                self.tell(f"fairlint: the analysis of {project.root} failed: {exc}", lsp.MessageType.Error)
                return
            self.last_analysis[project] = analysis
            self.publish(project, analysis)

    async def analyse_all(self, all_engines: bool = True) -> None:
        for root in self.folders():
            self.schedule(self.project(root), 0, all_engines)

    # ------------------------------------------------------------ publishing
    def placer(self, project: Project):
        notebooks = {}
        for (root, rel), uri in self.uris.items():
            if root == project.root and rel.lower().endswith(".ipynb"):
                nb = self.workspace.get_notebook_document(notebook_uri=uri)
                if nb is not None:
                    notebooks[rel] = nb

        def place(path: str, cell: int | None, sl: int, sc: int, el: int, ec: int) -> Place | None:
            if cell is not None and path in notebooks:
                cells = notebooks[path].cells
                if not 0 <= cell < len(cells):
                    return None
                uri = cells[cell].document
                return Place(uri, self._range(uri, sl, sc, el, ec))
            uri = self.uris.get((project.root, path)) or (project.root / path).as_uri()
            if path.lower().endswith(".ipynb"):
                if path in notebooks:
                    return None  # the notebook is open but the place names no cell
                note = f"cell {cell}, line {sl}: " if cell is not None else ""
                return Place(uri, lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)), note)
            return Place(uri, self._range(uri, sl, sc, el, ec))

        return place

    def _range(self, uri: str, sl: int, sc: int, el: int, ec: int) -> lsp.Range:
        """1-based lines and character columns (end exclusive) as an LSP range (UTF-16 columns
        on open documents); unknown columns cover whole lines."""
        sl, el = max(sl, 1), max(el, sl, 1)
        if sc <= 1 and ec <= 1:
            return lsp.Range(lsp.Position(sl - 1, 0), lsp.Position(el, 0))
        doc = self.workspace.text_documents.get(uri)
        lines = doc.lines if doc is not None else None

        def col(line: int, chars: int) -> int:
            if lines is None or line - 1 >= len(lines):
                return max(chars - 1, 0)
            return actions.utf16_column(lines[line - 1], max(chars - 1, 0))

        return lsp.Range(lsp.Position(sl - 1, col(sl, sc)), lsp.Position(el - 1, col(el, ec)))

    def publish(self, project: Project, analysis: Analysis) -> None:
        place = self.placer(project)
        docs = self.settings.docs_url
        by_uri: dict[str, list[Shown]] = {}
        for finding in analysis.result.findings:
            for shown in convert.finding_diagnostics(finding, analysis.policy, place, docs):
                by_uri.setdefault(shown.uri, []).append(shown)
        for item in analysis.result.skipped:
            if any(word in item.reason for word in SHOWN_SKIPS):
                shown = convert.skipped_diagnostic(item, place)
                if shown:
                    by_uri.setdefault(shown.uri, []).append(shown)
        for s in analysis.result.suppressions:
            shown = convert.suppression_diagnostic(s, place)
            if shown:
                by_uri.setdefault(shown.uri, []).append(shown)
        if project.policy_error:
            policy_path = project.settings.policy_path(project.root) or project.root / POLICY_FILE
            uri = policy_path.as_uri()
            by_uri.setdefault(uri, []).append(Shown(uri, lsp.Diagnostic(
                lsp.Range(lsp.Position(0, 0), lsp.Position(1, 0)), project.policy_error,
                lsp.DiagnosticSeverity.Error, code="policy", source=convert.SOURCE)))
        for problem in analysis.problems:
            self.tell(f"fairlint: {problem}", lsp.MessageType.Warning)
        for error in analysis.result.errors:
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Warning, f"fairlint: {error}"))
        before = self.published.get(project, {})
        now = {uri: [s.diagnostic for s in shown] for uri, shown in by_uri.items()}
        for uri in before.keys() - now.keys():
            self.shown.pop(uri, None)
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))
        for uri, diagnostics in now.items():
            self.shown[uri] = by_uri[uri]
            if before.get(uri) != diagnostics:
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics))
        self.published[project] = now
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Log, (
            f"fairlint: {len(analysis.result.findings)} finding(s) in {analysis.result.files_scanned} file(s) "
            f"of {project.root} ({analysis.hidden} hidden by policy or minimum severity), "
            f"analysed in {analysis.duration_s:.2f} s with {', '.join(analysis.engines_run)} "
            f"(their CPU time {analysis.child_cpu_s:.2f} s); "
            f"engine read {len(analysis.engine_read)} file(s): {', '.join(analysis.engine_read[:10]) or '-'}")))

    def tell(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        """Show a message once per session (settings and tool problems repeat every analysis)."""
        if message in self._told:
            return
        self._told.add(message)
        self.window_show_message(lsp.ShowMessageParams(kind, message))

    def shown_at(self, uri: str, position: lsp.Position) -> list[Shown]:
        def inside(r: lsp.Range) -> bool:
            start, end = (r.start.line, r.start.character), (r.end.line, r.end.character)
            return start <= (position.line, position.character) <= end or r.start.line == position.line
        return [s for s in self.shown.get(uri, []) if s.finding is not None and inside(s.diagnostic.range)]

    # ------------------------------------------------------------ settings
    async def pull_settings(self, pushed: Any = None) -> None:
        """Settings from ``workspace/configuration`` when the client offers it, else pushed ones."""
        caps = self.client_capabilities
        if caps.workspace and caps.workspace.configuration:
            try:
                values = await self.workspace_configuration_async(
                    lsp.ConfigurationParams([lsp.ConfigurationItem(section="fairlint")]))
                pushed = values[0] if values else pushed
            except Exception as exc:  # noqa: BLE001 - a client without the section
                log.info("workspace/configuration failed: %s", exc)
        if pushed is not None:
            self.apply_settings(Settings.from_client(pushed))

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        for project in self.projects.values():
            project.configure(settings)
        self.published_keep_cache()

    def published_keep_cache(self) -> None:
        """Settings change every finding's look: publish everything again at the next analysis."""
        self.published = {p: {uri: [] for uri in published} for p, published in self.published.items()}


def create_server() -> FairlintServer:
    server = FairlintServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: FairlintServer, params: lsp.InitializeParams) -> None:
        if params.initialization_options:
            ls.apply_settings(Settings.from_client(params.initialization_options))

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: FairlintServer, params: lsp.InitializedParams) -> None:
        caps = ls.client_capabilities
        watch = caps.workspace and caps.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            try:
                await ls.client_register_capability_async(lsp.RegistrationParams([lsp.Registration(
                    "fairlint-watch", lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    lsp.DidChangeWatchedFilesRegistrationOptions([lsp.FileSystemWatcher(glob) for glob in (
                        "**/*.py", "**/*.ipynb", *(f"**/{name}" for name in CONFIG_FILES))]))]))
            except Exception as exc:  # noqa: BLE001 - saves still refresh the folder
                log.info("client/registerCapability failed: %s", exc)
        await ls.pull_settings()
        await ls.analyse_all()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FairlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.document_changed(params.text_document.uri, delay=0, all_engines=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FairlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.document_changed(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: FairlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        path = Path(to_fs_path(params.text_document.uri) or "")
        for project in ls.projects.values():
            if path.name in CONFIG_FILES or path == project.settings.policy_path(project.root):
                project.reload_policy()
                ls.schedule(project, 0, True)
            elif project.rel(path):
                project.files_changed()
        ls.document_changed(params.text_document.uri, delay=0, all_engines=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FairlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.document_changed(params.text_document.uri, delay=0, closed=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)
    def nb_open(ls: FairlintServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
        ls.notebook_changed(params.notebook_document.uri, delay=0, all_engines=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def nb_change(ls: FairlintServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
        ls.notebook_changed(params.notebook_document.uri)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)
    def nb_save(ls: FairlintServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
        for project in ls.projects.values():
            project.files_changed()
        ls.notebook_changed(params.notebook_document.uri, delay=0, all_engines=True)

    @server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def nb_close(ls: FairlintServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
        ls.notebook_changed(params.notebook_document.uri, delay=0, closed=True)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: FairlintServer, params: lsp.DidChangeConfigurationParams) -> None:
        await ls.pull_settings(params.settings)
        await ls.analyse_all()

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: FairlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        for project in list(ls.projects.values()):
            touched = [Path(to_fs_path(c.uri) or "") for c in params.changes]
            touched = [p for p in touched if project.rel(p)]
            if not touched:
                continue
            if any(p.name in CONFIG_FILES or p == project.settings.policy_path(project.root) for p in touched):
                project.reload_policy()
            project.files_changed()
            ls.schedule(project, None, True)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: FairlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        found = ls.shown_at(params.text_document.uri, params.position)
        if not found:
            return None
        text = "\n\n---\n\n".join(dict.fromkeys(convert.hover_markdown(s.finding, ls.settings.docs_url)
                                                for s in found))
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, text), found[0].diagnostic.range)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.Empty]))
    def code_action(ls: FairlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        wanted = [d for d in params.context.diagnostics if d.source == convert.SOURCE]
        shown = [s for s in ls.shown.get(uri, []) if s.finding is not None and (
            not wanted or any(s.diagnostic.range == d.range and s.diagnostic.code == d.code for d in wanted))]
        if not wanted:
            r = params.range
            shown = [s for s in shown if s.diagnostic.range.start.line <= r.end.line
                     and s.diagnostic.range.end.line >= r.start.line]
        out: list[lsp.CodeAction] = []
        for s in shown:
            out += actions.stratify_actions(s, doc.source)
            action = actions.suppress_action(s, doc.lines)
            if action:
                out.append(action)
        for s in {str(s.diagnostic.code): s for s in shown}.values():
            out.append(actions.docs_action(s, ls.settings.docs_url))
        return out

    @server.command(actions.SHOW_POSITION)
    async def show_position(ls: FairlintServer, uri: str, line: int, character: int) -> None:
        at = lsp.Position(int(line), int(character))
        await ls.window_show_document_async(lsp.ShowDocumentParams(uri, take_focus=True, selection=lsp.Range(at, at)))

    @server.command(actions.OPEN_DOCS)
    async def open_docs(ls: FairlintServer, href: str) -> None:
        await ls.window_show_document_async(lsp.ShowDocumentParams(href, external=not href.startswith("file:")))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: FairlintServer, params: Any = None) -> None:
        for task in ls._waiting.values():
            task.cancel()
        ls.pool.shutdown(wait=True, cancel_futures=True)  # an analysis under way finishes first
        shutil.rmtree(ls.mirror.name, ignore_errors=True)

    return server


def main() -> None:
    """Serve over stdin/stdout until the client says exit."""
    logging.basicConfig(level=os.environ.get("FAIRLINT_LSP_LOG", "WARNING"),
                        format="fairlint-lsp %(levelname)s %(message)s")
    from orchestrator.engines.flow import keep_parsed_files
    keep_parsed_files()  # a long-running server re-scans the same files: parse each content once
    create_server().start_io()
