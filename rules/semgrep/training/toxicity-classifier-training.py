import pandas as pd
import tensorflow_datasets as tfds
from datasets import load_dataset
from detoxify import Detoxify
from googleapiclient import discovery
from transformers import AutoModelForSequenceClassification, pipeline

# ruleid: toxicity-classifier-training
ds = load_dataset("hatexplain")

# ruleid: toxicity-classifier-training
ds = load_dataset("tdavidson/hate_speech_offensive", split="train")

# ruleid: toxicity-classifier-training
ds = load_dataset("tweet_eval", "hate")

# ruleid: toxicity-classifier-training
train = tfds.load("civil_comments/CivilCommentsIdentities", split="train")

# Reading the data is the repository's context, not the classifier (the flow engine reports the model).
# ok: toxicity-classifier-training
train = pd.read_csv("data/jigsaw-toxic-comment-classification-challenge/train.csv")

# Reading the data is the repository's context, not the classifier (the flow engine reports the model).
# ok: toxicity-classifier-training
LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]

# Reading the data is the repository's context, not the classifier (the flow engine reports the model).
# ok: toxicity-classifier-training
y = train[["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]].values

# ruleid: toxicity-classifier-training
scores = Detoxify("original").predict(texts)

# ruleid: toxicity-classifier-training
clf = AutoModelForSequenceClassification.from_pretrained("unitary/toxic-bert")

# ruleid: toxicity-classifier-training
hate = pipeline("text-classification", model="cardiffnlp/twitter-roberta-base-hate-latest")

# ruleid: toxicity-classifier-training
client = discovery.build("commentanalyzer", "v1alpha1", developerKey=API_KEY)

HUB_ORG = "unitary"
# A name Semgrep folds from constants.
# ruleid: toxicity-classifier-training
clf = AutoModelForSequenceClassification.from_pretrained(f"{HUB_ORG}/unbiased-toxic-roberta")

# Near misses: other text datasets and models, look-alike names.
# ok: toxicity-classifier-training
ds = load_dataset("imdb")

# ok: toxicity-classifier-training
ds = load_dataset("tweet_eval", "sentiment")

# ok: toxicity-classifier-training
tox = pd.read_csv("data/toxicology_usage.csv")

# ok: toxicity-classifier-training
clf = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english")

# ok: toxicity-classifier-training
sentiment = pipeline("text-classification", model="nlptown/bert-base-multilingual-uncased-sentiment")

# ok: toxicity-classifier-training
service = discovery.build("storage", "v1")

# ok: toxicity-classifier-training
whatever = pd.read_csv("data/whatever_message_stage.csv")

# ok: toxicity-classifier-training
labels = ["toxic", "severe_toxicity", "obscene"]

# ok: toxicity-classifier-training
clf = AutoModelForSequenceClassification.from_pretrained("org/whatever-bert")
