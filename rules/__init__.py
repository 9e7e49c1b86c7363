"""The fairlint rule pack, installed as the package ``fairlint_rules``.

Plain Semgrep users point ``semgrep --config`` at ``semgrep/``; the orchestrator also
loads ``evidence/`` (repository-level evidence rules) and ``vocabulary.yaml``.
"""
