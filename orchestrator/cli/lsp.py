"""`fairlint lsp`: the Language Server over stdio (any LSP editor: VS Code, Neovim, Helix, Emacs).

Exit 2 when the optional dependencies are missing (``pip install 'fairlint[lsp]'``).
"""

from __future__ import annotations

import click


class MissingExtra(click.ClickException):
    exit_code = 2


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin/stdout (the default and only transport).")
def lsp_cmd(stdio: bool) -> None:
    """Run the fairlint Language Server over stdio (started by an editor, not by hand)."""
    from orchestrator.lsp import missing_dependency

    problem = missing_dependency()
    if problem:
        raise MissingExtra(problem)
    from orchestrator.lsp.server import main

    main()
