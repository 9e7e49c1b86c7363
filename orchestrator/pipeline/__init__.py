"""The scan pipeline, stage by stage: discovery, notebooks, engines (see ``engines``), suppress,
reasoning, dedup, scoring; the content-addressed result cache; ``scan`` runs them in order."""
