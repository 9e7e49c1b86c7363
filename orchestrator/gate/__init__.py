"""The CI gate: policy files, baselines, and the gate decision with its exit codes."""
