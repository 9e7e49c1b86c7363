"""The corpus study: manifests and fetching (corpus), the prime pass (prescan), the per-repository
scans (run), tables and plots (report), and triage samples (triage)."""
