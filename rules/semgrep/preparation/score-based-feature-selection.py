import pandas as pd
from sklearn import feature_selection
from sklearn.ensemble import RandomForestClassifier
from sklearn.feature_selection import (RFE, RFECV, SelectFdr, SelectFpr, SelectFromModel,
                                       SelectKBest, SelectPercentile, VarianceThreshold,
                                       chi2, f_classif, mutual_info_classif)
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

df = pd.read_csv("adult.csv")
X, y = df.drop(columns=["income"]), df["income"]

# ruleid: score-based-feature-selection
X_best = SelectKBest(chi2, k=10).fit_transform(X, y)

# ruleid: score-based-feature-selection
selector = SelectPercentile(mutual_info_classif, percentile=20)

# ruleid: score-based-feature-selection
rfe = RFE(LogisticRegression(), n_features_to_select=5)

# ruleid: score-based-feature-selection
rfecv = RFECV(LogisticRegression(), cv=5)

# ruleid: score-based-feature-selection
pipe = make_pipeline(SelectFromModel(RandomForestClassifier()), LogisticRegression())

# ruleid: score-based-feature-selection
generic = feature_selection.GenericUnivariateSelect(f_classif, mode="k_best", param=5)

# ruleid: score-based-feature-selection
top = df.corr()["income"].abs().nlargest(8).index

# Near misses: FPR/FDR tests, variance filter, scoring only, one-hot encoding.
# ok: score-based-feature-selection
fpr = SelectFpr(chi2, alpha=0.01)

# ok: score-based-feature-selection
fdr = SelectFdr(f_classif, alpha=0.05)

# ok: score-based-feature-selection
constant_filter = VarianceThreshold(threshold=0.0)

# ok: score-based-feature-selection
scores = mutual_info_classif(X, y)

# ok: score-based-feature-selection
fwe = feature_selection.GenericUnivariateSelect(f_classif, mode="fwe", param=0.05)

# ok: score-based-feature-selection
biggest_cities = df["population"].nlargest(5)

# ok: score-based-feature-selection
encoded = pd.get_dummies(df, columns=["workclass"])

# Ranking by correlation then slicing is not caught.
# todoruleid: score-based-feature-selection
top_cols = df.corr()["income"].abs().sort_values(ascending=False).index[:8]
