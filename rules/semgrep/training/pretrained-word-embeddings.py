import fasttext
import gensim.downloader as api
import numpy as np
import tensorflow as tf
import torch
from gensim.models import KeyedVectors, Word2Vec
from tensorflow.keras.layers import Embedding
from torch import nn
from torchtext.vocab import GloVe

# ruleid: pretrained-word-embeddings
w2v = KeyedVectors.load_word2vec_format("GoogleNews-vectors-negative300.bin", binary=True)

# ruleid: pretrained-word-embeddings
glove = api.load("glove-wiki-gigaword-100")

# ruleid: pretrained-word-embeddings
ft = fasttext.load_model("cc.en.300.bin")

# ruleid: pretrained-word-embeddings
vectors = GloVe(name="840B", dim=300)

# ruleid: pretrained-word-embeddings
TEXT.build_vocab(train_data, max_size=25000, vectors="glove.6B.100d")

# ruleid: pretrained-word-embeddings
emb = nn.Embedding.from_pretrained(torch.tensor(embedding_matrix), freeze=True)

# ruleid: pretrained-word-embeddings
layer = Embedding(vocab_size, 300, weights=[embedding_matrix], trainable=False)

# ruleid: pretrained-word-embeddings
layer = tf.keras.layers.Embedding(
    vocab_size, 100, embeddings_initializer=tf.keras.initializers.Constant(glove_matrix), trainable=False)

# ruleid: pretrained-word-embeddings
with open("data/glove.6B.100d.txt", encoding="utf8") as fh:
    lines = fh.readlines()

# ruleid: pretrained-word-embeddings
TEXT.build_vocab(train_data, vectors="fasttext.simple.300d")

# ruleid: pretrained-word-embeddings
matrix = np.loadtxt("/content/drive/My Drive/embeddings/glove.6B.50d.txt", dtype=str, comments=None)

GLOVE_SIZE = "840B"
# A name Semgrep folds from constants.
# ruleid: pretrained-word-embeddings
with open(f"embeddings/glove.{GLOVE_SIZE}.300d.txt", encoding="utf8") as fh:
    lines = fh.readlines()

# The file kept in a variable, or handed to a helper of the repository.
# ruleid: pretrained-word-embeddings
EMBEDDING_FILE = "/data/vectors/glove.840B.300d.txt"

# ruleid: pretrained-word-embeddings
vocab = read_vectors(words, os.path.join(DATA_DIR, "crawl-300d-2M.vec"))

# Near misses: embeddings trained from scratch, contextual models, unrelated files.
# ok: pretrained-word-embeddings
dense = tf.keras.layers.Dense(64, weights=[dense_matrix])

# ok: pretrained-word-embeddings
TEXT.build_vocab(train_data, vectors=custom_vectors)

# ok: pretrained-word-embeddings
emb = nn.Embedding(vocab_size, 128, padding_idx=0)

# ok: pretrained-word-embeddings
layer = tf.keras.layers.Embedding(input_dim=vocab_size, output_dim=64, mask_zero=True)

# ok: pretrained-word-embeddings
own = Word2Vec(sentences, vector_size=100, window=5, min_count=2)

# ok: pretrained-word-embeddings
clf = fasttext.load_model("model_cooking.bin")

# ok: pretrained-word-embeddings
with open("data/image_storage_usage.txt") as fh:
    lines = fh.readlines()

# ok: pretrained-word-embeddings
image_embedding = nn.Linear(2048, 300)

# ok: pretrained-word-embeddings
print("download glove.6B.zip and unpack glove.6B.100d.txt into data/")

# ok: pretrained-word-embeddings
logger.info("expected glove.6B.100d.txt in %s", data_dir)

# ok: pretrained-word-embeddings
OUTPUT_FILE = "/data/results/image_features.txt"
