"""The bias-pattern taxonomy (shared/TAXONOMY.md): ids, names, stages and detect classes.

Ids are stable; reports, study tables, baselines and docs all use them.
"""
from __future__ import annotations
from dataclasses import dataclass

STAGES = {
    "DS": "dataset",
    "DP": "preparation",
    "TR": "training",
    "CM": "compression",
    "EV": "evaluation",
    "DL": "decision",
}

@dataclass(frozen=True)
class Pattern:
    id: str
    name: str
    detect: str  # "H", "M", "L", or e.g. "H construct, L risk"

    @property
    def stage(self) -> str:
        return STAGES[self.id[:2]]

    @property
    def detect_class(self) -> str:
        """The class the construct is found with (first letter of the detect column)."""
        return self.detect[0]

    @property
    def repository_level(self) -> bool:
        """L-class: decided over the whole repository (also the risk side of DP11/TR02)."""
        return self.detect.startswith("L") or "L risk" in self.detect


PATTERNS: dict[str, Pattern] = {p.id: p for p in (
    Pattern("DS01", "Face dataset with documented demographic skew loaded (CelebA, UTKFace, LFW, Adience, IJB-A, MORPH, FER)", "H"),
    Pattern("DS02", "Canonical high-stakes tabular benchmark used as a real task (Adult, COMPAS, German Credit, Bank Marketing, Titanic, Home Credit)", "H"),
    Pattern("DS03", "Identity-count filtering of face data (`fetch_lfw_people(min_faces_per_person=N)`)", "H"),
    Pattern("DS04", "Face detector used as a data filter (images with no detection dropped)", "M"),
    Pattern("DS05", "Text corpus filtered by blocklist, language-ID or toxicity score", "M"),
    Pattern("DS06", "Proxy target label (cost, arrest) for a need or risk model", "L"),
    Pattern("DP01", "Rows with missing values deleted (`dropna`, NaN masks on tensors)", "H"),
    Pattern("DP02", "Rare categories filtered out or collapsed into \"Other\"", "M"),
    Pattern("DP03", "Label/ordinal encoding of nominal features (`LabelEncoder`, `.cat.codes`) not fed to an embedding", "H"),
    Pattern("DP04", "Binning or coarsening of a protected attribute (`pd.cut(age)`, `KBinsDiscretizer`, Keras `Discretization`)", "H"),
    Pattern("DP05", "Features engineered from personal names (titles, surnames)", "M"),
    Pattern("DP06", "Demographics inferred from names or faces (gender_guesser, genderize, ethnicolr, DeepFace gender/race)", "H"),
    Pattern("DP07", "Gender binarised (`map({\"Male\": 1, \"Female\": 0})`, `(df.sex == \"M\").astype(int)`, 2-way gender head)", "M"),
    Pattern("DP08", "Race/ethnicity collapsed to binary or an \"Other\" bucket", "M"),
    Pattern("DP09", "Group-blind resampling (SMOTE, RandomUnderSampler, label-only `WeightedRandomSampler`, tf.data `rejection_resample`)", "H"),
    Pattern("DP10", "Score-based feature selection (SelectKBest, SelectPercentile, RFE, SelectFromModel)", "H"),
    Pattern("DP11", "Train/test split without stratification (`train_test_split`, `random_split`, Keras `validation_split`, `split_dataset`)", "H construct, L risk"),
    Pattern("DP12", "Protected attribute used as a model input feature (flows into `fit`, `torch.tensor`, `TensorDataset`, `tf.data.Dataset.from_tensor_slices`, `keras.Input(name=...)`)", "M"),
    Pattern("DP13", "\"Fairness through unawareness\": protected attribute dropped and no fairness evaluation anywhere in the repository", "L"),
    Pattern("DP14", "Known proxy features kept as inputs (zip/postcode, names, language, relationship)", "M"),
    Pattern("DP15", "Protected attribute discarded before the split, so per-group evaluation becomes impossible", "L"),
    Pattern("DP16", "Re-weighting absent under documented imbalance, or present but group-blind", "L"),
    Pattern("TR01", "Differentially private training (Opacus `PrivacyEngine`, TF Privacy `DPKeras*Optimizer`, `DPModel`)", "H"),
    Pattern("TR02", "Model selection or early stopping on an aggregate metric only (`EarlyStopping(monitor=\"val_accuracy\")`, best-checkpoint on loss)", "H construct, L risk"),
    Pattern("TR03", "`class_weight` / `sample_weight` / loss `weight=` chosen without group analysis", "H"),
    Pattern("TR04", "Pretrained static word embeddings (word2vec GoogleNews, GloVe, fastText; `Embedding.from_pretrained`)", "H"),
    Pattern("TR05", "Pretrained vision backbone on people-centric data (ImageNet weights, CLIP)", "H, INFO unless people data"),
    Pattern("TR06", "Pretrained speech recognition (wav2vec2, Whisper)", "H"),
    Pattern("TR07", "Toxicity / hate-speech classifier on crowd-labelled data", "M"),
    Pattern("TR08", "Model whose target is gender, race or age (automatic demographic recognition)", "M"),
    Pattern("TR09", "Plain ERM on data with known spurious group correlations (CelebA hair colour, Waterbirds)", "L"),
    Pattern("CM01", "Pruning (`torch.nn.utils.prune`, `tfmot.sparsity.keras.prune_low_magnitude`)", "H"),
    Pattern("CM02", "Quantization (`torch.ao.quantization`, `torch.quantization`, `tfmot.quantization`, TFLite `Optimize.DEFAULT`)", "H"),
    Pattern("EV01", "Aggregate-only evaluation (accuracy, loss, `model.evaluate`) in a repository with people data and no per-group metric anywhere", "L"),
    Pattern("EV02", "A single fairness metric reported", "M"),
    Pattern("EV03", "One protected attribute evaluated while others are present; no intersectional groups", "M"),
    Pattern("EV04", "Marginal disparity measured without conditioning on strata (Simpson's paradox; suggest conditional demographic disparity)", "L"),
    Pattern("EV05", "Fairness measured on a single split or seed", "M"),
    Pattern("DL01", "Protected attribute in decision logic (group-specific thresholds or score offsets via `if`, `np.where`, `torch.where`, `tf.where`)", "H"),
    Pattern("DL02", "Group-threshold post-processors (Fairlearn `ThresholdOptimizer`, AIF360 `EqOddsPostprocessing`, `RejectOptionClassification`)", "H, INFO"),
)}
