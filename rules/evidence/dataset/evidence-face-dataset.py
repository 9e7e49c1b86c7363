import tensorflow_datasets as tfds
import torchvision
from sklearn.datasets import fetch_lfw_people

# ruleid: evidence-face-dataset
celeba = torchvision.datasets.CelebA(root="data", split="train", download=True)

# ruleid: evidence-face-dataset
lfw = fetch_lfw_people(min_faces_per_person=20)

# ruleid: evidence-face-dataset
ds = tfds.load("celeb_a", split="train")

# ruleid: evidence-face-dataset
faces = load_images("data/UTKFace/")

# Escapes: the regex sees the decoded string (a backslash, a newline before the name).
# ruleid: evidence-face-dataset
fer = load_images("C:\\datasets\\fer2013.csv")

# ruleid: evidence-face-dataset
notes = write_manifest("datasets:\nadience")

# Near misses: datasets of things, not people.
# ok: evidence-face-dataset
cifar = torchvision.datasets.CIFAR10(root="data", download=True)

# ok: evidence-face-dataset
ds = tfds.load("mnist", split="train")

# ok: evidence-face-dataset
cfg = open("metamorphosis.txt")
