"""The ``fairlint`` command line: one thin module per command group (``main`` holds the group)."""
