from fairlearn.metrics import MetricFrame, selection_rate

# ruleid: evidence-stratified-analysis
mf = MetricFrame(metrics=selection_rate, y_true=y, y_pred=p, sensitive_features=sex, control_features=dept)

# ruleid: evidence-stratified-analysis
rates = df.groupby(["department", "sex"])["admitted"].mean()

# ruleid: evidence-stratified-analysis
rates = df.groupby(by=["race", "county"])["approved"].mean()

# Near misses: one key only, or no protected key.
# ok: evidence-stratified-analysis
rates = df.groupby("sex")["admitted"].mean()

# ok: evidence-stratified-analysis
rates = df.groupby(["department", "year"])["admitted"].mean()
