"""One finding per thing: (rule, dataset or model source, file), the other sites as occurrences."""

from __future__ import annotations

from orchestrator.model import CellRef, Finding, Location, Severity
from orchestrator.pipeline.dedup import fold_sources, source_of


def make(rule: str, pattern: str, path: str, line: int, snippet: str, cell: CellRef | None = None) -> Finding:
    loc = Location(path, line, line, cell=cell)
    return Finding(rule_id=rule, bias_pattern=pattern, stage="", message="m", path=path, start_line=line,
                   end_line=line, snippet=snippet, severity=Severity.INFO, score=0.0, score_factors=(),
                   confidence="HIGH", fingerprint=f"fp-{line}", occurrences=(loc,),
                   found_by=(f"semgrep:{rule}",), cell=cell)


def test_source_of_a_dataset_path_is_its_first_telling_word():
    assert source_of("DS01", "np.load('faces/utk/utkface_label.train.npy')") == "faces"
    assert source_of("DS02", "train = '../../data/census/adult.data'") == "census"
    assert source_of("DS01", "datasets.CelebA('data/', split='valid')") == "celeba"
    assert source_of("TR05", "torchvision.models.resnet50(pretrained=True)") == "resnet50"
    assert source_of("CM01", "prune.l1_unstructured(conv2, name='weight', amount=0.3)") == ""


def test_train_valid_test_loads_of_one_dataset_are_one_finding():
    loads = [make("face-ds", "DS01", "data.py", line, f"np.load('utk/utk.{split}.npy')")
             for line, split in ((10, "train"), (11, "valid"), (12, "test"))]
    (f,) = fold_sources(loads)
    assert f.start_line == 10 and [o.start_line for o in f.occurrences] == [10, 11, 12]


def test_two_datasets_in_one_file_stay_two_findings():
    found = fold_sources([make("tab", "DS02", "data.py", 3, "pd.read_csv('compas/two_years.csv')"),
                          make("tab", "DS02", "data.py", 9, "pd.read_csv('german/credit.csv')"),
                          make("tab", "DS02", "data.py", 12, "pd.read_csv('compas/scores.csv')")])
    assert [(f.start_line, len(f.occurrences)) for f in found] == [(3, 2), (9, 1)]


def test_one_pruning_call_per_layer_is_one_finding_per_file():
    calls = [make("prune", "CM01", "compress.py", line, f"prune.l1_unstructured(model.{layer}, 'weight', 0.2)")
             for line, layer in ((5, "conv1"), (6, "conv2"), (7, "fc"))]
    other_file = make("prune", "CM01", "other.py", 5, "prune.random_unstructured(m, 'weight', 0.2)")
    found = fold_sources(calls + [other_file])
    assert [(f.path, len(f.occurrences)) for f in found] == [("compress.py", 3), ("other.py", 1)]


def test_notebook_cells_fold_and_keep_their_cells():
    a = make("face-ds", "DS01", "nb.ipynb", 2, "CelebA('data', split='train')", CellRef(1, 2))
    b = make("face-ds", "DS01", "nb.ipynb", 1, "CelebA('data', split='test')", CellRef(4, 1))
    (f,) = fold_sources([b, a])
    assert f.cell == CellRef(1, 2) and [o.cell.index for o in f.occurrences] == [1, 4]


def test_other_patterns_and_other_rules_are_left_alone():
    drops = [make("drop", "DP01", "prep.py", line, "df.dropna()") for line in (3, 8)]
    backbones = [make("vision", "TR05", "m.py", 3, "models.resnet50(pretrained=True)"),
                 make("clip", "TR05", "m.py", 4, "models.resnet50(pretrained=True)")]
    assert fold_sources(drops + backbones) == drops + backbones
