import pytest

from orchestrator.pipeline import frameworks


@pytest.mark.parametrize("text, expected", [
    ("import torch\nfrom torch import nn\n", ("pytorch",)),
    ("import tensorflow as tf\nfrom tensorflow import keras\n", ("tensorflow", "keras")),
    ("from keras.layers import Dense\n", ("keras",)),
    ("  import sklearn.model_selection\nimport pandas as pd\n", ("sklearn", "pandas")),
    ("# import torch in a comment does not count\ntorchvision = 1\nimport torchvision\n", ()),
    ("s = 'import torch'\n", ()),
])
def test_detect_reads_import_statements_only(text, expected):
    assert frameworks.detect(text) == expected


def test_scan_findings_carry_their_files_frameworks(tmp_path):
    from orchestrator import scan
    from orchestrator.config import ScanConfig

    (tmp_path / "a.py").write_text("import torch\nx = torch.zeros(3)\nx = x[~torch.isnan(x)]\n")
    (tmp_path / "b.py").write_text("import pandas as pd\ndf = pd.DataFrame().dropna()\n")
    result = scan(tmp_path, ScanConfig(use_cache=False))
    by_path = {f.path: f.frameworks for f in result.findings if f.rule_id == "missing-rows-dropped"}
    assert by_path == {"a.py": ("pytorch",), "b.py": ("pandas",)}
