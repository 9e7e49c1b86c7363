# CLIP's loader imported by name: the prefilter admits the file through its import line.
from clip import load

# ruleid: pretrained-vision-backbone
model, preprocess = load("ViT-B/32", device="cpu")
