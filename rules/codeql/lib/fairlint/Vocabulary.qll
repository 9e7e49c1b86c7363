/**
 * The fairlint vocabulary: protected attributes, proxies and fairness-API sanitizers.
 *
 * GENERATED from `rules/vocabulary.yaml` by `orchestrator.engines.codeql.render_vocabulary_qll`
 * (`python -m orchestrator.engines.codeql sync`); do not edit by hand.
 * `tests/rules/test_codeql_pack.py` fails when this file drifts from the vocabulary.
 *
 * Terms match whole identifier parts (split at `_`, `-`, `.`, spaces, digits and camelCase),
 * never substrings: `age` matches `user_age` and `userAge`, not `page` or `average`.
 */

/** Gets the regular expression for names of protected attributes (whole-string match). */
string protectedNameRegex() {
  result =
    "(?s).*?(?:(?:^|(?<=[^A-Za-z])|(?<=[a-z])(?=[A-Z]))(?i:sexual[_\\-\\s.]?orientation|national[_\\-\\s.]?origin|marital[_\\-\\s.]?status|native[_\\-\\s.]?country|date[_\\-\\s.]?of[_\\-\\s.]?birth|citizenship|nationality|skin[_\\-\\s.]?colour|birth[_\\-\\s.]?year|disability|skin[_\\-\\s.]?color|birthdate|ethnicity|pregnancy|religious|skin[_\\-\\s.]?tone|skin[_\\-\\s.]?type|pregnant|religion|ethnic|gender|racial|caste|race(?![_\\-\\s.]?(?:conditions|condition))|age|dob|sex)(?:$|(?=[^A-Za-z])|(?<=[a-z])(?=[A-Z]))|^['\"]?(?:Male|Pale_Skin|Young|age_cat)['\"]?$).*"
}

/** Gets the regular expression for names of proxy features (whole-string match). */
string proxyNameRegex() {
  result =
    "(?s).*?(?:^|(?<=[^A-Za-z])|(?<=[a-z])(?=[A-Z]))(?i:neighbourhood|census[_\\-\\s.]?tract|neighborhood|relationship|postal[_\\-\\s.]?code|first[_\\-\\s.]?name|honorific|last[_\\-\\s.]?name|language|postcode|zip[_\\-\\s.]?code|address|dialect|surname|zipcode|accent|county|zip(?!\\())(?:$|(?=[^A-Za-z])|(?<=[a-z])(?=[A-Z])).*"
}

/** Holds if `name`, an identifier or a string literal's text, names a protected attribute. */
bindingset[name]
predicate isProtectedName(string name) { name.regexpMatch(protectedNameRegex()) }

/** Holds if `name`, an identifier or a string literal's text, names a proxy feature. */
bindingset[name]
predicate isProxyName(string name) { name.regexpMatch(proxyNameRegex()) }

/** Gets the name of a module whose use is evidence of group-wise evaluation or mitigation. */
string fairnessModuleName() { result = ["fairlearn", "aif360", "aequitas", "smclarify", "tensorflow_model_analysis", "fairness_indicators", "tensorflow_model_remediation"] }

/** Gets the name of a fairness metric or mitigation (a function or class, by its last name). */
string fairnessSymbolName() { result = ["MetricFrame", "ThresholdOptimizer", "ExponentiatedGradient", "GridSearch", "BinaryFairness", "MulticlassFairness", "demographic_parity", "equal_opportunity", "binary_fairness", "demographic_parity_difference", "equalized_odds_difference", "BinaryLabelDatasetMetric", "ClassificationMetric", "MinDiffModel"] }
