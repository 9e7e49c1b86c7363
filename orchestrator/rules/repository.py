"""Repository-level rules: synthetic rules that the orchestrator decides over a whole scan.

Their metadata mirrors a rule file's, so the catalogue, SARIF and scoring treat them like the
pack's own rules; :mod:`orchestrator.pipeline.reasoning` decides when they fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from orchestrator.rules.taxonomy import PATTERNS


@dataclass(frozen=True)
class RepositoryRule:
    """A synthetic rule the orchestrator decides; its metadata mirrors a rule file's."""

    id: str
    bias_pattern: str
    pattern_name: str
    likelihood: str
    impact: str
    references: tuple[str, ...]
    technology: tuple[str, ...] = ("python",)

    @property
    def stage(self) -> str:
        return PATTERNS[self.bias_pattern].stage

    def metadata(self, evidence: Sequence[str]) -> dict:
        return {
            "bias-pattern": self.bias_pattern,
            "pattern-name": self.pattern_name,
            "stage": self.stage,
            "detect-class": "L",
            "category": "fairness",
            "subcategory": ["audit"],
            "confidence": "LOW",
            "likelihood": self.likelihood,
            "impact": self.impact,
            "references": list(self.references),
            "technology": list(self.technology),
            "repository-level": True,
            "evidence-locations": list(evidence),
        }


_GENDER_SHADES = ("Buolamwini & Gebru, Gender Shades: Intersectional Accuracy Disparities in "
                  "Commercial Gender Classification, FAT* 2018, "
                  "https://proceedings.mlr.press/v81/buolamwini18a.html")
_BISWAS_2020 = ("Biswas & Rajan, Do the Machine Learning Models on a Crowd Sourced Platform "
                "Exhibit Bias? An Empirical Study on Model Fairness, ESEC/FSE 2020, "
                "https://doi.org/10.1145/3368089.3409704")
_SAGAWA = ("Sagawa et al., Distributionally Robust Neural Networks for Group Shifts, ICLR 2020, "
           "https://arxiv.org/abs/1911.08731")
_FRIEDLER = ("Friedler et al., A comparative study of fairness-enhancing interventions in machine "
             "learning, FAT* 2019, https://doi.org/10.1145/3287560.3287589")
_FAIRLEARN = ("Fairlearn user guide, Assessment with MetricFrame (sensitive_features at evaluation "
              "time), https://fairlearn.org/main/user_guide/assessment/index.html")

REPOSITORY_RULES: dict[str, RepositoryRule] = {r.id: r for r in (
    RepositoryRule("aggregate-only-evaluation", "EV01", "Aggregate-only evaluation", "HIGH", "HIGH",
                   (_GENDER_SHADES,
                    "Seyyed-Kalantari et al., Underdiagnosis bias of artificial intelligence "
                    "algorithms applied to chest radiographs in under-served patient populations, "
                    "Nature Medicine 2021, https://doi.org/10.1038/s41591-021-01595-0", _FAIRLEARN),
                   ("sklearn", "keras", "pytorch")),
    RepositoryRule("fairness-through-unawareness", "DP13", "Fairness through unawareness",
                   "MEDIUM", "HIGH",
                   (_BISWAS_2020,
                    "Valentim, Lourenco & Antunes, The Impact of Data Preparation on the Fairness "
                    "of Software Systems, ISSRE 2019, https://arxiv.org/abs/1910.02321"),
                   ("pandas",)),
    RepositoryRule("protected-attribute-discarded-before-split", "DP15",
                   "Protected attribute discarded before the split", "MEDIUM", "MEDIUM",
                   (_FAIRLEARN,), ("pandas", "sklearn")),
    RepositoryRule("reweighting-absent-under-imbalance", "DP16",
                   "Re-weighting absent under documented imbalance", "MEDIUM", "MEDIUM",
                   (_BISWAS_2020, _SAGAWA), ("pandas", "sklearn")),
    RepositoryRule("group-blind-reweighting", "DP16", "Re-weighting present but group-blind",
                   "LOW", "MEDIUM", (_SAGAWA, _BISWAS_2020), ("sklearn", "pytorch", "keras")),
    RepositoryRule("marginal-disparity-without-strata", "EV04",
                   "Marginal disparity measured without conditioning on strata", "MEDIUM", "MEDIUM",
                   ("Wachter, Mittelstadt & Russell, Why Fairness Cannot Be Automated: Bridging the "
                    "Gap Between EU Non-Discrimination Law and AI, Computer Law & Security Review "
                    "2021, https://doi.org/10.1016/j.clsr.2021.105567",
                    "Amazon SageMaker Clarify, Conditional Demographic Disparity (CDD), "
                    "https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-data-bias-metric-cddl.html"),
                   ("fairlearn", "aif360")),
    RepositoryRule("proxy-target-label", "DS06", "Proxy target label", "MEDIUM", "MEDIUM",
                   ("Obermeyer, Powers, Vogeli & Mullainathan, Dissecting racial bias in an "
                    "algorithm used to manage the health of populations, Science 2019, "
                    "https://doi.org/10.1126/science.aax2342",
                    "Fogliato, G'Sell & Chouldechova, Fairness Evaluation in Presence of Biased "
                    "Noisy Labels, AISTATS 2020, https://arxiv.org/abs/2003.13808"),
                   ("pandas", "aif360", "sklearn")),
    RepositoryRule("unstratified-split-without-group-evaluation", "DP11",
                   "Unstratified split with no per-group evaluation", "MEDIUM", "MEDIUM",
                   (_FRIEDLER,), ("sklearn", "pytorch", "keras")),
    RepositoryRule("aggregate-model-selection-without-group-evaluation", "TR02",
                   "Model selection on an aggregate metric with no per-group evaluation",
                   "MEDIUM", "MEDIUM", (_SAGAWA, _BISWAS_2020), ("keras", "pytorch", "sklearn")),
)}
