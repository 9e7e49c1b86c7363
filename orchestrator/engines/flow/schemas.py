"""Known people-data schemas: which protected attributes and proxies a well-known dataset holds.

A frame loaded from the Adult census file carries ``sex``, ``race``, ``age``, ``marital
status`` and ``native country`` (and the proxy ``relationship``) whether or not the code ever
names them: ``X = df.drop("income", axis=1)`` keeps them all. The column lists come from the
datasets' public documentation (UCI, ProPublica, the CelebA attribute list), never from code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Schema:
    name: str
    protected: tuple[str, ...]  # vocabulary terms
    proxy: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()  # column spellings, for selections by name
    kind: str = "tabular"  # tabular (a high-stakes benchmark, DS02) or face (a skewed face set, DS01)


ADULT = Schema("Adult", ("age", "marital status", "race", "sex", "native country"), ("relationship",),
               ("age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
                "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
                "hours-per-week", "native-country", "income"))
COMPAS = Schema("COMPAS", ("sex", "age", "race"), (),
                ("sex", "age", "age_cat", "race", "juv_fel_count", "juv_misd_count", "juv_other_count",
                 "priors_count", "c_charge_degree", "two_year_recid", "decile_score", "score_text"))
GERMAN = Schema("German credit", ("age", "sex", "marital status", "nationality"), (),
                ("status", "duration", "credit_history", "purpose", "amount", "savings", "employment",
                 "installment_rate", "personal_status", "other_debtors", "residence", "property", "age",
                 "installment_plans", "housing", "existing_credits", "job", "people_liable",
                 "telephone", "foreign_worker", "credit"))
BANK = Schema("Bank marketing", ("age", "marital status"), (), ("age", "job", "marital", "education"))
TITANIC = Schema("Titanic", ("sex", "age"), ("honorific",), ("Name", "Sex", "Age"))
CELEBA = Schema("CelebA", ("sex", "age", "skin colour"), (), ("Male", "Young", "Pale_Skin"), kind="face")
UTKFACE = Schema("UTKFace", ("age", "sex", "race"), kind="face")
IMDB_WIKI = Schema("IMDB-WIKI", ("age", "sex"), kind="face")
AFAD = Schema("AFAD", ("age", "sex"), kind="face")
ADIENCE = Schema("Adience", ("age", "sex"), kind="face")
FER2013 = Schema("FER-2013", (), kind="face")
LFW = Schema("LFW", (), kind="face")
MORPH = Schema("MORPH", ("age", "sex", "race"), kind="face")
#: People tables that are no benchmark of decisions (kind "people": followed, never reported as
#: DS01/DS02): the UCI heart-disease and stroke records, the medical-cost ("insurance") table.
HEART = Schema("heart disease", ("age", "sex"), (), ("age", "sex"), kind="people")
STROKE = Schema("stroke", ("age", "gender"), (), ("gender", "age", "ever_married"), kind="people")
INSURANCE = Schema("medical cost", ("age", "sex"), ("region",), ("age", "sex", "region"), kind="people")
JIGSAW = Schema("Jigsaw identity", ("sex", "race", "religion", "sexual orientation", "disability"))

#: Dataset names as they appear in file names, loader names and identifiers (whole parts).
_NAME_PARTS = {
    "adult": ADULT, "census": ADULT, "compas": COMPAS, "propublica": COMPAS, "german": GERMAN,
    "statlog": GERMAN, "bank": BANK, "titanic": TITANIC, "celeba": CELEBA, "utkface": UTKFACE,
    "utk": UTKFACE, "imdb_crop": IMDB_WIKI, "wiki_crop": IMDB_WIKI, "afad": AFAD, "adience": ADIENCE,
    "fer2013": FER2013, "fer": FER2013, "lfw": LFW, "morph": MORPH,
}
#: Loader classes and functions of fairness libraries and dataset packages.
LOADERS = {
    "AdultDataset": ADULT, "load_adult": ADULT, "fetch_adult": ADULT, "load_preproc_data_adult": ADULT,
    "CompasDataset": COMPAS, "load_compas": COMPAS, "load_preproc_data_compas": COMPAS,
    "fetch_compas": COMPAS, "GermanDataset": GERMAN, "load_german": GERMAN,
    "load_preproc_data_german": GERMAN, "BankDataset": BANK, "load_bank": BANK,
    "adult": ADULT, "compas": COMPAS, "german": GERMAN,  # shap.datasets.adult(), ...
    "CelebA": CELEBA, "load_celeba": CELEBA, "get_celeba": CELEBA, "UTKFace": UTKFACE,
}
#: Loader names that are only a dataset's name: a library's loader, unless the repository defines it.
BARE_NAMES = frozenset({"adult", "compas", "german"})
#: Jigsaw identity columns and Fitzpatrick skin types: attributes the plain vocabulary lacks.
EXTRA_COLUMNS = {
    "male": ("sex", "protected"), "female": ("sex", "protected"), "transgender": ("gender", "protected"),
    "christian": ("religion", "protected"), "jewish": ("religion", "protected"),
    "muslim": ("religion", "protected"), "black": ("race", "protected"), "white": ("race", "protected"),
    "asian": ("race", "protected"), "latino": ("race", "protected"),
    "homosexual_gay_or_lesbian": ("sexual orientation", "protected"),
    "psychiatric_or_mental_illness": ("disability", "protected"),
    "fitzpatrick": ("skin type", "protected"), "fitzpatrick_scale": ("skin type", "protected"),
    "fitzpatrick_skin_type": ("skin type", "protected"),
}

_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def parts(text: str) -> list[str]:
    """Lower-case identifier or path parts: ``trainAdult_v2.csv`` -> train, adult, v, 2, csv."""
    return [p.lower() for p in _PART.findall(text)]


def dataset_in_path(text: str) -> Schema | None:
    """The known dataset a path or URL names (``data/adult.data``, ``compas-scores.csv``)."""
    low = text.lower()
    for key in ("imdb_crop", "wiki_crop"):
        if key in low:
            return _NAME_PARTS[key]
    for part in parts(text):
        if part in _NAME_PARTS and part not in ("bank", "census", "utk", "german", "fer", "morph"):
            return _NAME_PARTS[part]
    if "fer2013" in low:
        return FER2013
    found = set(parts(text))
    if "heart" in found and not ({"rate", "beat", "sound", "sounds", "ecg", "ekg"} & found):
        return HEART
    if "stroke" in found and not ({"pen", "brush", "font", "svg", "width"} & found):
        return STROKE
    if "insurance" in found and found & {"csv", "data", "medical", "cost", "costs", "charges"}:
        return INSURANCE
    if "german" in found and ({"credit", "data"} & found):
        return GERMAN
    if "bank" in found and ({"marketing", "additional", "full"} & found):
        return BANK
    return None


#: Dataset-name parts a loader's name may carry (``COMPASDataset``, ``load_adult_data``): the face
#: sets, and the tabular names that mean nothing else in code (``german``, ``bank`` and ``census``
#: name other corpora as often).
_LOADER_NAME_PARTS = frozenset({p for p, s in _NAME_PARTS.items() if s.kind == "face"} | {"adult", "compas", "propublica"})
#: A dataset's name as a whole string (``get_data_file("german")``, ``dataset = "fer2013"``).
_BARE = {"adult": ADULT, "compas": COMPAS, "german": GERMAN, "german_credit": GERMAN, "statlog_german": GERMAN,
         "titanic": TITANIC, "celeba": CELEBA, "utkface": UTKFACE, "afad": AFAD, "adience": ADIENCE,
         "fer2013": FER2013, "fer_2013": FER2013, "lfw": LFW, "morph": MORPH, "imdb_wiki": IMDB_WIKI}


def loader_schema(name: str) -> Schema | None:
    """The dataset a loader or dataset class names: ``AdultDataset``, ``AFADDataset``, ``get_celeba``."""
    found = LOADERS.get(name)
    if found is None:
        names = parts(name)
        if {"dataset", "data", "loader", "load", "fetch"} & set(names):
            found = next((_NAME_PARTS[p] for p in names if p in _LOADER_NAME_PARTS), None)
    return found


def dataset_named(text: str) -> Schema | None:
    """The known dataset a whole string names (``"german"``, ``"fer2013"``, ``"UTKFace"``)."""
    return _BARE.get(text.strip().lower().replace("-", "_"))


def path_like(text: str) -> bool:
    """A file or directory path (``./data/imdb_crop/imdb.mat``, ``adult.csv``), not prose or a name."""
    return " " not in text and len(text) < 200 and ("/" in text or "\\" in text or
                                                    bool(re.search(r"\.[A-Za-z][A-Za-z0-9]{0,4}$", text)))
