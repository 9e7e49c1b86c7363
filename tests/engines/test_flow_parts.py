"""The flow engine cuts a repository into parts that share no function name and analyses each
alone (a history walk re-analyses only the parts a commit changed). The parts' results must be
exactly what one analysis of the whole repository gives: the same matches, trails, messages
and skipped entries, in the same order."""

from __future__ import annotations

import textwrap
from pathlib import Path

from orchestrator.engines.flow import FlowEngine, ModuleState, Repository, _match
from orchestrator.engines.interface import EngineRequest, EngineResult, Target
from orchestrator.model import Skipped
from orchestrator.rules import pack as rulepack
from orchestrator.rules.vocabulary import Vocabulary
import orchestrator.engines.flow as flow_module
import pytest


@pytest.fixture()
def keep_parsed(monkeypatch):
    """Parts are cut where parsed files are kept between runs (history, the language server)."""
    monkeypatch.setattr(flow_module, "_KEEP", [flow_module.MEMO_TEXT_BYTES])
    monkeypatch.setattr(flow_module, "_FACTS", [])

LOADER = '''
import pandas as pd

def load(path):
    df = pd.read_csv(path)
    return df[["age", "sex", "income"]], df["label"]

def encode(col):
    return col.map({"F": 0, "M": 1})
'''
TRAIN = '''
from loader import load, encode
X, y = load("adult.csv")
X["sex"] = encode(X["sex"])
model.fit(X, y)
'''
REC_A = '''
import pandas as pd

def ping(frame, n):
    return pong(frame, n - 1) if n else frame

def unused(frame):
    return encode(frame["gender"])

t = pd.read_csv("t.csv")
model.fit(ping(t, 2), t["y"])
'''
REC_B = '''
def pong(frame, n):
    return ping(frame[["race", "score"]], n)

def unused(frame):
    model.fit(frame[["sex", "age"]], frame["y"])
'''
ALONE = '''
import pandas as pd
df = pd.read_csv("people.csv")
df["age_band"] = pd.cut(df["age"], bins=4)
clean = df.dropna()

def helper(x):
    return x
'''
ALONE_2 = '''
import pandas as pd

def helper(x):
    return x[["gender", "income"]]

frame = pd.read_csv("p.csv")
model.fit(frame[["race", "income"]], frame["y"])
'''
BROKEN = "import pandas as pd\ndf = pd.read_csv('x.csv'\n"


def whole(request: EngineRequest) -> EngineResult:
    """The analysis of every module at once (the engine before it was cut into parts)."""
    engine = FlowEngine()
    plan = engine.plan(request)
    order = {t.display_path: i for i, t in enumerate(request.targets)}
    modules = sorted((m for part in plan.parts for m in part.modules), key=lambda m: order[m.path])
    repo = Repository([ModuleState(m.path, m.tree) for m in modules], plan.terms)
    hits = repo.run()
    rules = rulepack.rules_by_id()
    matches = [m for m in (_match(h, plan.texts, rules) for h in hits) if m is not None]
    partial = [Skipped(p, "flow: analysed partially", d) for p, d in sorted(repo.problems.items())]
    return EngineResult(tuple(matches), plan.skipped + tuple(partial), (), engine.version())


def request_for(tmp_path: Path, files: dict[str, str]) -> EngineRequest:
    targets = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        targets.append(Target(path, name))
    return EngineRequest(tmp_path, targets, Vocabulary.default())


def test_parts_give_what_the_whole_repository_gives(tmp_path, keep_parsed):
    files = {"a_alone.py": ALONE, "b_rec.py": REC_A, "c_rec.py": REC_B, "d_alone.py": ALONE_2,
             "loader.py": LOADER, "train.py": TRAIN, "z_broken.py": BROKEN}
    request = request_for(tmp_path, files)
    plan = FlowEngine().plan(request)
    groups = sorted(sorted(m.path for m in part.modules) for part in plan.parts)
    # `helper` is defined twice but named by nobody else: its two modules stay apart; `encode`
    # joins the recursive pair to the loader, and the loader's callers join it.
    assert groups == [["a_alone.py"], ["b_rec.py", "c_rec.py", "loader.py", "train.py"], ["d_alone.py"]]
    parts = FlowEngine().run(request)
    assert parts == whole(request)
    assert parts.matches and any(s.reason == "flow: could not parse" for s in parts.skipped)


def test_each_module_alone_or_all_together_give_the_same(tmp_path, keep_parsed):
    """Every subset of the modules above, in two orders: the cut never changes a result."""
    names = {"a_alone.py": ALONE, "b_rec.py": REC_A, "c_rec.py": REC_B, "d_alone.py": ALONE_2,
             "loader.py": LOADER, "train.py": TRAIN}
    items = list(names.items())
    for mask in range(1, 1 << len(items)):
        chosen = [items[i] for i in range(len(items)) if mask >> i & 1]
        for files in (dict(chosen), dict(reversed(chosen))):
            folder = tmp_path / f"{mask}-{next(iter(files))}"
            request = request_for(folder, files)
            assert FlowEngine().run(request) == whole(request), sorted(files)


def test_a_one_shot_scan_keeps_no_parsed_files_and_long_running_callers_do(tmp_path):
    import orchestrator.engines.flow as flow
    from orchestrator.engines.interface import EngineRequest, Target
    from orchestrator.rules.vocabulary import Vocabulary
    path = tmp_path / "m.py"
    path.write_text("import pandas as pd\ndf = pd.read_csv('people.csv')\nX = df[['sex', 'hours']]\n")
    request = EngineRequest(tmp_path, [Target(path, "m.py")], Vocabulary.default())
    saved = flow._KEEP[0]
    try:
        flow._KEEP[0] = 0
        flow._FACTS.clear()
        flow.FlowEngine().plan(request, {"m.py": "digest-1"})
        assert not flow._FACTS[0].items                     # a one-shot scan keeps nothing
        flow.keep_parsed_files()
        flow.FlowEngine().plan(request, {"m.py": "digest-1"})
        assert "digest-1" in flow._FACTS[0].items            # history and the language server do
    finally:
        flow.keep_parsed_files(saved)


HEADS = '''
import torch.nn as nn

class FaceAttributes(nn.Module):
    def __init__(self):
        super().__init__()
        self.gender_head = nn.Linear(512, 2)
        self.age_head = nn.Linear(512, 8)
'''
TWIN_A = '''
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.race_classifier = nn.Linear(64, 4)
'''
TWIN_B = '''
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.age_embedding = nn.Embedding(100, 8)  # read by the analysis (a protected term), no head
        self.fc = nn.Linear(64, 10)
'''
CROPS = '''
import scipy.io
meta = scipy.io.loadmat("data/imdb_crop/imdb.mat")
ages = meta["imdb"]["age"]
'''
COMMENTS = '''
import pandas as pd
comments = pd.read_csv("train.csv")
texts = comments["comment_text"]
'''


def parts_run(engine: FlowEngine, request: EngineRequest, digests: dict[str, str]) -> EngineResult:
    """The parts' results as the result cache's caller gets them (with digests: summaries memoised)."""
    plan = engine.plan(request, digests)
    return plan.result({part: engine.run_part(plan, part) for part in plan.parts})


def test_the_context_combined_from_module_summaries_is_the_whole_repositorys(tmp_path, keep_parsed):
    """Each module's summary (classes, output heads, toxicity, face-set crops) is kept by content;
    the repository's context is combined from them. It must be the context one analysis of all
    modules finds: a class defined twice has no known heads, a file named for toxicity makes the
    task toxicity, IMDB-WIKI's crops make `imdb` a face set."""
    files = {"heads.py": HEADS, "twin_a.py": TWIN_A, "twin_b.py": TWIN_B, "crops.py": CROPS,
             "toxic_comments.py": COMMENTS, "a_alone.py": ALONE, "d_alone.py": ALONE_2}
    request = request_for(tmp_path, files)
    digests = {t.display_path: f"digest-of-{t.display_path}" for t in request.targets}
    engine = FlowEngine()
    plan = engine.plan(request, digests)
    assert len(plan.parts) > 1 and set(plan.summaries) == {m.path for p in plan.parts for m in p.modules}
    modules = [ModuleState(m.path, m.tree) for p in plan.parts for m in p.modules]
    reference = Repository(modules, plan.terms).context()
    assert plan.context == reference
    assert reference.toxicity_task and dict(reference.dataset_aliases).keys() == {"imdb", "wiki"}
    assert dict(reference.demographic_classes) == {"FaceAttributes": ("age", "gender")}  # `Net` is ambiguous
    assert parts_run(engine, request, digests) == whole(request)
    assert parts_run(engine, request, digests) == whole(request)  # summaries from the memo now


def test_a_summary_follows_the_path_and_the_content(tmp_path, keep_parsed):
    """The same content under a toxicity file name is another summary; a changed content too."""
    first = request_for(tmp_path / "one", {"comments.py": COMMENTS, "a_alone.py": ALONE})
    renamed = request_for(tmp_path / "two", {"toxic_comments.py": COMMENTS, "a_alone.py": ALONE})
    engine = FlowEngine()
    same = {"comments.py": "d1", "toxic_comments.py": "d1", "a_alone.py": "d2"}
    assert not engine.plan(first, same).context.toxicity_task
    assert engine.plan(renamed, same).context.toxicity_task
    changed = request_for(tmp_path / "three", {"comments.py": COMMENTS.replace("comment_text", "toxicity"),
                                               "a_alone.py": ALONE})
    assert engine.plan(changed, {"comments.py": "d3", "a_alone.py": "d2"}).context.toxicity_task
