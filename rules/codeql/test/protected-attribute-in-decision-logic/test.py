import numpy as np

THRESHOLDS = {"A": 0.5, "B": 0.6}


# --- cross-function flows (the Semgrep rule sees one function at a time) ---
def decide(score, group):
    if group == "F":  # $ Sink
        score += 0.05  # $ Alert
    return score > 0.5


def run(applicant, score):
    return decide(score, applicant["gender"])  # $ Source


def threshold_for(gender):  # $ Source
    if gender == "F":  # $ Sink
        threshold = 0.6  # $ Alert
    else:
        threshold = 0.5  # $ Alert
    return threshold


# --- within one function ---
def approve(applicant, score):
    cutoff = THRESHOLDS[applicant["race"]]  # $ Alert
    return score > cutoff


def adjusted(df):
    return np.where(df["sex"] == "F", df["score"] + 0.05, df["score"])  # $ Alert


# --- near misses ---
def log_group(gender):
    if gender == "F":
        print("female applicant")
    return gender


def impute(df):
    return np.where(df["age"].isna(), 0.0, df["age"])


def binarise(df):
    return np.where(df["sex"] == "M", 1, 0)


def seniority(years, score):
    if years > 10:
        score += 0.1
    return score
