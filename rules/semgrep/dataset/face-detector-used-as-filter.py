import os

import cv2
import dlib
import face_recognition
from facenet_pytorch import MTCNN
from langdetect import detect
from mtcnn import MTCNN as KerasMTCNN

cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
detector = dlib.get_frontal_face_detector()
mtcnn = MTCNN(image_size=160)
keras_mtcnn = KerasMTCNN()


def build_index(paths):
    kept = []
    for path in paths:
        img = cv2.imread(path)
        gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        faces = cascade.detectMultiScale(gray, 1.1, 5)
        # ruleid: face-detector-used-as-filter
        if len(faces) == 0:
            continue
        kept.append(path)
    return kept


def dlib_index(paths):
    kept = []
    for path in paths:
        img = dlib.load_rgb_image(path)
        dets = detector(img, 1)
        # ruleid: face-detector-used-as-filter
        if len(dets) != 1:
            print("skipping", path)
            continue
        kept.append(path)
    return kept


def crop(path):
    img = face_recognition.load_image_file(path)
    boxes = face_recognition.face_locations(img)
    # ruleid: face-detector-used-as-filter
    if not boxes:
        return None
    return boxes[0]


def torch_crops(images):
    crops = []
    for img in images:
        boxes, probs = mtcnn.detect(img)
        # ruleid: face-detector-used-as-filter
        if boxes is None:
            continue
        crops.append(boxes)
    return crops


def keras_crops(images):
    out = []
    for img in images:
        found = keras_mtcnn.detect_faces(img)
        # ruleid: face-detector-used-as-filter
        if len(found) > 0:
            out.append(img)
    return out


class Pipeline:
    def clean(self, images):
        kept = []
        for img in images:
            dets = self.my_face_net(img)
            # ruleid: face-detector-used-as-filter
            if len(dets) == 0:
                continue
            kept.append(img)
        return kept

    def ping(self, hosts):
        alive = []
        for host in hosts:
            # A name that only contains "face" in a word (interface) is no face detector.
            reply = self.interface_probe(host)
            # ok: face-detector-used-as-filter
            if reply is None:
                continue
            alive.append(host)
        return alive


# Near misses: detections used without dropping the image, or other detectors.
def annotate(images):
    for img in images:
        faces = cascade.detectMultiScale(img)
        # ok: face-detector-used-as-filter
        if len(faces) == 0:
            print("no face found, keeping the image")
        for (x, y, w, h) in faces:
            cv2.rectangle(img, (x, y), (x + w, y + h), (255, 0, 0), 2)


def texts_in_english(texts):
    keep = []
    for text in texts:
        lang = detect(text)
        # ok: face-detector-used-as-filter
        if lang is None:
            continue
        keep.append(text)
    return keep


def read_all(paths):
    out = []
    for path in paths:
        img = cv2.imread(path)
        # ok: face-detector-used-as-filter
        if img is None:
            continue
        out.append(img)
    return out


def storage_pages(pages):
    usage = []
    for page in pages:
        surface = os.stat(page)
        # ok: face-detector-used-as-filter
        if not surface:
            continue
        usage.append(surface)
    return usage


# A detector used inside a pandas mask is not recognised.
def has_face(path):
    return len(face_recognition.face_locations(face_recognition.load_image_file(path))) > 0


def filter_frame(df):
    # todoruleid: face-detector-used-as-filter
    return df[df["path"].apply(has_face)]


# An object detector outside a dlib file is not a face detector.
def boxes_only(images, detector):
    out = []
    for img in images:
        dets = detector(img)
        # ok: face-detector-used-as-filter
        if len(dets) == 0:
            continue
        out.append(dets)
    return out


# The detection inside a try block, checked after it, is not followed.
def guarded(img):
    try:
        found = cascade.detectMultiScale(img, 1.1, 5)
    except cv2.error:
        return None
    # todoruleid: face-detector-used-as-filter
    if len(found) == 0:
        return None
    return found
