# ruleid: evidence-fairness-library
import fairlearn
# ruleid: evidence-fairness-library
from fairlearn.metrics import MetricFrame
# ruleid: evidence-fairness-library
import aif360.metrics as aif_metrics
# ruleid: evidence-fairness-library
from aif360.algorithms.preprocessing import Reweighing
# ruleid: evidence-fairness-library
import tensorflow_model_analysis as tfma
# ruleid: evidence-fairness-library
from tensorflow_model_remediation import min_diff

# Near misses: libraries whose names start like a fairness library, or ordinary imports.
# ok: evidence-fairness-library
import fairlearnings
# ok: evidence-fairness-library
from sklearn.metrics import accuracy_score
# ok: evidence-fairness-library
import tensorflow as tf
