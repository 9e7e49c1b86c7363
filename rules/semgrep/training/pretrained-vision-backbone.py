import clip
import open_clip
import tensorflow as tf
import tensorflow_hub as hub
import timm
import torch
import torchxrayvision
import segmentation_models_pytorch
import torchvision
from tensorflow.keras.applications import ResNet50
from torchvision import models
from transformers import CLIPModel, CLIPProcessor, ViTForImageClassification

# ruleid: pretrained-vision-backbone
backbone = models.resnet50(pretrained=True)

# ruleid: pretrained-vision-backbone
backbone = torchvision.models.resnet18(weights=torchvision.models.ResNet18_Weights.IMAGENET1K_V1)

# ruleid: pretrained-vision-backbone
detector = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights="DEFAULT")

# ruleid: pretrained-vision-backbone
backbone = torch.hub.load("pytorch/vision", "resnet50", weights="IMAGENET1K_V2")

# ruleid: pretrained-vision-backbone
backbone = timm.create_model("vit_base_patch16_224", pretrained=True, num_classes=2)

# ruleid: pretrained-vision-backbone
base = ResNet50(include_top=False, input_shape=(224, 224, 3))

# ruleid: pretrained-vision-backbone
base = tf.keras.applications.MobileNetV2(weights="imagenet", include_top=False)

# ruleid: pretrained-vision-backbone
feature_layer = hub.KerasLayer("https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector/5", trainable=False)

# ruleid: pretrained-vision-backbone
model, preprocess = clip.load("ViT-B/32", device="cpu")

# ruleid: pretrained-vision-backbone
model, _, preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained="laion2b_s34b_b79k")

# ruleid: pretrained-vision-backbone
clip_model = CLIPModel.from_pretrained("openai/clip-vit-base-patch32")

# ruleid: pretrained-vision-backbone
vit = ViTForImageClassification.from_pretrained("google/vit-base-patch16-224", num_labels=2)

# Near misses: random initialisation, preprocessing helpers, processors, unrelated names.
# ok: pretrained-vision-backbone
scratch = models.resnet50(weights=None)

# ok: pretrained-vision-backbone
scratch = models.resnet50()

# ok: pretrained-vision-backbone
scratch = timm.create_model("resnet50", pretrained=False)

# ok: pretrained-vision-backbone
base = tf.keras.applications.ResNet50(weights=None, classes=10)

# ok: pretrained-vision-backbone
x = tf.keras.applications.resnet50.preprocess_input(image_batch)

# ok: pretrained-vision-backbone
processor = CLIPProcessor.from_pretrained("openai/clip-vit-base-patch32")

# ok: pretrained-vision-backbone
resize = torchvision.transforms.Resize((224, 224))

# ok: pretrained-vision-backbone
detector = torch.hub.load("ultralytics/yolov5", "yolov5s", pretrained=True)

# ok: pretrained-vision-backbone
model = torch.hub.load("pytorch/vision", "resnet50", pretrained=False)

# ok: pretrained-vision-backbone
pixels = torch.clip(image_batch, 0, 1)

# ok: pretrained-vision-backbone
image_storage = torch.load("image_storage_usage.pt")


def restore(checkpoint):
    # Pretrained weights replaced by a checkpoint in the same function: not pretrained use.
    # ok: pretrained-vision-backbone
    net = models.resnet50(pretrained=True)
    net.fc = torch.nn.Linear(2048, 2)
    net.load_state_dict(torch.load(checkpoint))
    return net


def restore_keras(path):
    # ok: pretrained-vision-backbone
    encoder = ResNet50(weights="imagenet", include_top=False)
    encoder.load_weights(path)
    return encoder


def finetune(checkpoint):
    # ruleid: pretrained-vision-backbone
    net = models.resnet50(pretrained=True)
    # The checkpoint goes into another model: the backbone keeps its ImageNet weights.
    head = torch.nn.Linear(2048, 2)
    head.load_state_dict(torch.load(checkpoint))
    return net, head


def load_after_use(checkpoint, images):
    # ruleid: pretrained-vision-backbone
    net = models.resnet50(pretrained=True)
    return net(images)


def other_zoos(images):
    # ruleid: pretrained-vision-backbone
    xray = torchxrayvision.models.DenseNet(weights="densenet121-res224-all")
    # ok: pretrained-vision-backbone
    scratch = torchxrayvision.models.DenseNet(weights=None)
    # ruleid: pretrained-vision-backbone
    seg = segmentation_models_pytorch.Unet("resnet34", encoder_weights="imagenet", classes=2)
    # ruleid: pretrained-vision-backbone
    faces = InceptionResnetV1(pretrained="vggface2").eval()
    # ruleid: pretrained-vision-backbone
    base = efn.EfficientNetB0(weights="imagenet", include_top=False)
    # ok: pretrained-vision-backbone
    seg2 = segmentation_models_pytorch.Unet("resnet34", encoder_weights=None, classes=2)
    # ok: pretrained-vision-backbone
    own = build_model(pretrained="checkpoints/last.pt")
    return xray(images), seg(images), faces(images), base(images), scratch, seg2, own
