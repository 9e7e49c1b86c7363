"""The rule pack as data: the pack's rules and metadata, the vocabulary, prefilters, the taxonomy."""
