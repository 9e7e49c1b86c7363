"""A comment-moderation model: filter the crawl, train on crowd-labelled hate speech,
transcribe voice notes."""

from datasets import load_dataset
from gensim.models import KeyedVectors
from langdetect import detect
from transformers import Wav2Vec2ForCTC

crawl = load_dataset("text", data_files="crawl.txt")["train"]


def english_only(docs):
    kept = []
    for doc in docs:
        # Language-ID filtering of a text corpus (DS05)
        if detect(doc) != "en":
            continue
        kept.append(doc)
    return kept


# A toxicity classifier trained on crowd-labelled data (TR07)
hate = load_dataset("hatexplain")

# Static word embeddings (TR04) and pretrained speech recognition (TR06)
w2v = KeyedVectors.load_word2vec_format("GoogleNews-vectors-negative300.bin", binary=True)
asr = Wav2Vec2ForCTC.from_pretrained("facebook/wav2vec2-base-960h")
