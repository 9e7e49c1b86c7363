"""``fairlint lsp``: the Language Server (pygls over stdio) that shows findings in an editor.

- :mod:`~orchestrator.lsp.settings`: the editor's settings and the workspace policy;
- :mod:`~orchestrator.lsp.project`: one workspace folder, its files from disk and from the
  editor's buffers, analysed with the scan pipeline's stages and its result cache (only
  changed contents reach an engine);
- :mod:`~orchestrator.lsp.convert`: findings as LSP diagnostics and hovers;
- :mod:`~orchestrator.lsp.actions`: code actions (suppress with a reason, stratify a split,
  open the rule documentation);
- :mod:`~orchestrator.lsp.server`: the pygls server that wires them to the protocol.

pygls and lsprotocol are an optional extra (``pip install -e '.[lsp]'``); only the server
module imports them.
"""

from __future__ import annotations

from orchestrator import __version__

INSTALL_HINT = ("fairlint lsp needs the optional 'lsp' extra (pygls and lsprotocol): "
                "pip install -e '.[lsp]' in a fairlint clone, or "
                f"pip install 'fairlint[lsp] @ git+https://github.com/fairlint/fairlint@v{__version__}'")


def missing_dependency() -> str | None:
    """A message naming the missing dependency, or None when the server can start."""
    import importlib.util

    for module in ("pygls", "lsprotocol"):
        if importlib.util.find_spec(module) is None:
            return f"{INSTALL_HINT} ({module} is not installed)"
    return None
