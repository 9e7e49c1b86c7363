import glob
import os

import datasets
import pandas as pd
import tensorflow as tf
import tensorflow_datasets as tfds
import torchvision
from sklearn.datasets import fetch_lfw_people, fetch_olivetti_faces, load_digits
from torchvision import datasets as tv_datasets
from torchvision.datasets import CelebA, ImageFolder

# ruleid: face-dataset-with-demographic-skew
train = torchvision.datasets.CelebA(root="data", split="train", target_type="attr", download=True)

# ruleid: face-dataset-with-demographic-skew
valid = CelebA("data", split="valid")

# ruleid: face-dataset-with-demographic-skew
people = tv_datasets.LFWPeople(root="data", split="train")

# ruleid: face-dataset-with-demographic-skew
lfw = fetch_lfw_people(resize=0.4)

# ruleid: face-dataset-with-demographic-skew
ds = tfds.load("celeb_a", split="train")

# ruleid: face-dataset-with-demographic-skew
ds, info = tfds.load(name="lfw", with_info=True)

# ruleid: face-dataset-with-demographic-skew
builder = tfds.builder("celeb_a_hq/128")

# ruleid: face-dataset-with-demographic-skew
hf = datasets.load_dataset("nielsr/CelebA-faces")

# ruleid: face-dataset-with-demographic-skew
attrs = pd.read_csv("data/celeba/list_attr_celeba.txt", sep=r"\s+", skiprows=1)

# ruleid: face-dataset-with-demographic-skew
utk = ImageFolder("/data/UTKFace")

# ruleid: face-dataset-with-demographic-skew
files = glob.glob("datasets/UTKFace/*.jpg")

# ruleid: face-dataset-with-demographic-skew
fer = pd.read_csv("input/fer2013.csv")

# ruleid: face-dataset-with-demographic-skew
faces = tf.keras.utils.image_dataset_from_directory("data/lfw-deepfunneled", image_size=(64, 64))

# Path forms the prefilter companion must still let through: raw Windows path, line continuation.
# ruleid: face-dataset-with-demographic-skew
utk_win = ImageFolder(r"D:\data\UTKFace")

# ruleid: face-dataset-with-demographic-skew
lfw_root = os.path.join("/mnt/shared/\
faces/lfw-deepfunneled", "train")

# Near misses: other datasets, look-alike names, words that merely contain the names.
# ok: face-dataset-with-demographic-skew
mnist = torchvision.datasets.MNIST(root="data", download=True)

# ok: face-dataset-with-demographic-skew
fairface = datasets.load_dataset("HuggingFaceM4/FairFace")

# ok: face-dataset-with-demographic-skew
cifar = tfds.load("cifar10", split="train")

# ok: face-dataset-with-demographic-skew
olivetti = fetch_olivetti_faces()

# ok: face-dataset-with-demographic-skew
digits = load_digits()

# ok: face-dataset-with-demographic-skew
usage = pd.read_csv("logs/page_usage_celebration.csv")

# ok: face-dataset-with-demographic-skew
morphology = pd.read_csv("data/morphology.csv")

# ok: face-dataset-with-demographic-skew
imgs = ImageFolder(os.path.join("data", "images"))

# A path constant is reported where it is defined, not again where it is read.
# ruleid: face-dataset-with-demographic-skew
ROOT = "data/img_align_celeba"
# ok: face-dataset-with-demographic-skew
celeb_imgs = ImageFolder(ROOT)

# ok: face-dataset-with-demographic-skew
MESSAGE = "see the celebration page"

# Written, not read: output folders and weights named after the dataset are no load.
# ok: face-dataset-with-demographic-skew
save_dir = os.path.join(data_dir, f"celeba_{strength}")
# ok: face-dataset-with-demographic-skew
emotion_model_path = "../trained_models/emotion/fer2013_cnn.hdf5"
# ok: face-dataset-with-demographic-skew
pathlib.Path("logs/celeba").mkdir(parents=True, exist_ok=True)
# ok: face-dataset-with-demographic-skew
attrs.to_csv(os.path.join(out, "list_attr_celeba.csv"))
# ok: face-dataset-with-demographic-skew
handle = open(os.path.join(root, "utkface_split.txt"), mode="wb")
# Near misses of the near misses: the same names read are loads.
# ruleid: face-dataset-with-demographic-skew
handle = open(os.path.join(root, "utkface_split.txt"), mode="rb")
# ruleid: face-dataset-with-demographic-skew
image_dir = os.path.join(data_dir, "img_align_celeba")
