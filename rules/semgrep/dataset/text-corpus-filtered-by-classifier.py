import fasttext
import langid
import pandas as pd
from better_profanity import profanity
from datasets import load_dataset
from detoxify import Detoxify
from langdetect import detect

BAD_WORDS = set(open("ldnoobw_en.txt").read().split())
STOP_WORDS = {"the", "a", "an"}
corpus = load_dataset("text", data_files="crawl.txt")["train"]
lid = fasttext.load_model("lid.176.bin")
tox = Detoxify("original")


def clean(docs):
    kept = []
    for doc in docs:
        # ruleid: text-corpus-filtered-by-classifier
        if detect(doc) != "en":
            continue
        # ruleid: text-corpus-filtered-by-classifier
        if any(word in doc.lower().split() for word in BAD_WORDS):
            continue
        scores = tox.predict(doc)
        # ruleid: text-corpus-filtered-by-classifier
        if scores["toxicity"] > 0.5:
            continue
        kept.append(doc)
    return kept


# ruleid: text-corpus-filtered-by-classifier
english = [t for t in corpus["text"] if langid.classify(t)[0] == "en"]

# ruleid: text-corpus-filtered-by-classifier
english_ds = corpus.filter(lambda row: lid.predict(row["text"])[0][0] == "__label__en")

df = pd.read_csv("comments.csv")
df["tox"] = df["text"].map(lambda t: tox.predict(t)["toxicity"])
# ruleid: text-corpus-filtered-by-classifier
clean_df = df[df["text"].map(lambda t: not profanity.contains_profanity(t))]



def keep_english(lines, outfile):
    for line in lines:
        # ruleid: text-corpus-filtered-by-classifier
        if detect(line) == "en":
            outfile.write(line)


def is_lang(row, lang):
    # ruleid: text-corpus-filtered-by-classifier
    if detect(row.tweet) == lang:
        return True
    return False


def is_toxic(row):
    # The score key held by a variable (constant propagation).
    key = "toxicity"
    other = "length"
    # ok: text-corpus-filtered-by-classifier
    if row[other] > 500:
        return False
    # ruleid: text-corpus-filtered-by-classifier
    if row[key] > 0.5:
        return True
    return False


# Near misses: the same checks used as features or for reporting, stop-word removal,
# an ordinary length filter.
# ok: text-corpus-filtered-by-classifier
df["lang"] = df["text"].map(detect)

# ok: text-corpus-filtered-by-classifier
df["toxicity"] = [tox.predict(t)["toxicity"] for t in df["text"]]

# ok: text-corpus-filtered-by-classifier
tokens = [w for w in "a message with a page".split() if w not in STOP_WORDS]

# ok: text-corpus-filtered-by-classifier
long_docs = [t for t in corpus["text"] if len(t) > 200]

# ok: text-corpus-filtered-by-classifier
usage = df[df["storage"] > 0]

for doc in corpus["text"]:
    # ok: text-corpus-filtered-by-classifier
    if detect(doc) != "en":
        print("non-English document kept:", doc[:40])

# A toxicity score thresholded in a separate mask variable is not followed.
mask = df["tox"] < 0.5
# todoruleid: text-corpus-filtered-by-classifier
kept_df = df[mask]
