from orchestrator.rules import pack as rulepack


def test_docs_rules_md_is_current(repo_root):
    current = (repo_root / "docs" / "rules.md").read_text(encoding="utf-8").rstrip("\n")
    assert current == rulepack.catalogue_markdown().rstrip("\n"), \
        "docs/rules.md is stale: run `fairlint rules catalogue > docs/rules.md`"


def test_catalogue_lists_every_rule():
    text = rulepack.catalogue_markdown()
    for rule in rulepack.load_rules():
        assert f"`{rule.id}`" in text


def test_catalogue_lists_repository_level_rules():
    from orchestrator.pipeline.reasoning import REPOSITORY_RULES

    text = rulepack.catalogue_markdown()
    for rule_id, rule in REPOSITORY_RULES.items():
        assert f"| `{rule_id}` | {rule.bias_pattern} |" in text
