import gender_guesser.detector as gender
import pandas as pd
import httpx
import requests
from deepface import DeepFace
from ethnicolr import pred_census_ln, pred_wiki_name
from genderize import Genderize
from transformers import AutoModelForImageClassification, pipeline

authors = pd.read_csv("authors.csv")

# ruleid: demographics-inferred-from-names-or-faces
guesser = gender.Detector(case_sensitive=False)
authors["gender"] = authors["first_name"].map(guesser.get_gender)

# ruleid: demographics-inferred-from-names-or-faces
guesses = Genderize().get(["James", "Eva", "Thomas"])

# ruleid: demographics-inferred-from-names-or-faces
with_race = pred_census_ln(authors, "last_name")

# ruleid: demographics-inferred-from-names-or-faces
with_eth = pred_wiki_name(authors, "last_name", "first_name")

# ruleid: demographics-inferred-from-names-or-faces
resp = requests.get(f"https://api.genderize.io?name={authors['first_name'][0]}")

# ruleid: demographics-inferred-from-names-or-faces
origin = httpx.get('https://api.nationalize.io', params={"name": "ana"})

# ruleid: demographics-inferred-from-names-or-faces
attrs = DeepFace.analyze(img_path="face.jpg", actions=["age", "gender", "race"])

# ruleid: demographics-inferred-from-names-or-faces
all_attrs = DeepFace.analyze("face.jpg")

# ruleid: demographics-inferred-from-names-or-faces
clf = pipeline("image-classification", model="rizvandwiki/gender-classification")

# ruleid: demographics-inferred-from-names-or-faces
age_model = AutoModelForImageClassification.from_pretrained("nateraw/vit-age-classifier")

# Near misses: emotion-only analysis, face verification, other models and web calls.
# ok: demographics-inferred-from-names-or-faces
mood = DeepFace.analyze("face.jpg", actions=["emotion"])

# ok: demographics-inferred-from-names-or-faces
same = DeepFace.verify("a.jpg", "b.jpg")

# ok: demographics-inferred-from-names-or-faces
sentiment = pipeline("sentiment-analysis", model="distilbert-base-uncased-finetuned-sst-2-english")

# ok: demographics-inferred-from-names-or-faces
page = requests.get("https://example.org/storage/usage")

# ok: demographics-inferred-from-names-or-faces
vit = AutoModelForImageClassification.from_pretrained("google/vit-base-patch16-224")

# ok: demographics-inferred-from-names-or-faces
stage_model = AutoModelForImageClassification.from_pretrained("org/stage-classifier")

# InsightFace's per-face gender/age attributes are not recognised.
import insightface

app = insightface.app.FaceAnalysis()
faces = app.get(None)
# todoruleid: demographics-inferred-from-names-or-faces
labels = [f.sex for f in faces]

# ok: demographics-inferred-from-names-or-faces
page = requests.get("https://example.com/api/users")
