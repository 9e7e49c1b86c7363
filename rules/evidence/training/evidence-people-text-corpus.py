import pandas as pd

from corpora import ToxicDataset, HateSpeechDataset, loaders

# ruleid: evidence-people-text-corpus
train = ToxicDataset(train_split=True)

# ruleid: evidence-people-text-corpus
tweets = loaders.HateSpeechDataset("tweets.csv")

# ruleid: evidence-people-text-corpus
frame = loaders.load_toxic_comments("train.csv")

# ruleid: evidence-people-text-corpus
subtypes = ["severe_toxicity", "obscene", "identity_attack", "insult", "threat"]

df = pd.read_csv("comments.csv")
# ruleid: evidence-people-text-corpus
hateful = df["hate_speech"] > 0

tweets = pd.read_csv("train.csv")
# ruleid: evidence-people-text-corpus
texts = tweets["tweet"].tolist()
# ruleid: evidence-people-text-corpus
cleaned = tweets.tweet.str.lower()

# Near misses: other datasets, and toxicity as a property of chemicals or a model's output.
# ok: evidence-people-text-corpus
images = ImageDataset("faces/")

# ok: evidence-people-text-corpus
molecules = ToxicityPredictor(weights="tox21")

# ok: evidence-people-text-corpus
scores = df["toxicity_score"]

# ok: evidence-people-text-corpus
columns = ["speech", "offensive", "language"]

# ok: evidence-people-text-corpus
loader = load_data("hate.csv")

# ok: evidence-people-text-corpus
reviews = df["review"]

# ok: evidence-people-text-corpus
lengths = df["tweet_length"]
