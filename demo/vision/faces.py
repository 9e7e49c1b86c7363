"""Build a face index for the attractiveness model, and tag it with demographics."""

import cv2
from deepface import DeepFace
from sklearn.datasets import fetch_lfw_people

# Identity-count filtering of face data (DS03): 70 images per person leaves 7 people
lfw = fetch_lfw_people(min_faces_per_person=70, resize=0.4)

cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")


def build_index(paths):
    kept = []
    for path in paths:
        gray = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2GRAY)
        faces = cascade.detectMultiScale(gray, 1.1, 5)
        # A face detector used as a data filter (DS04)
        if len(faces) == 0:
            continue
        kept.append(path)
    return kept


def tag(path):
    # Demographics inferred from faces (DP06)
    return DeepFace.analyze(img_path=path, actions=["age", "gender", "race"])
