import tensorflow as tf
import tensorflow_model_optimization as tfmot
import torch
from torch.ao import quantization as tq


def dynamic(model):
    return torch.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)  # $ Alert


def static(model):
    prepared = tq.prepare_qat(model)  # $ Alert
    return tq.convert(prepared)  # $ Alert


def qat(model):
    return tfmot.quantization.keras.quantize_model(model)  # $ Alert


# --- the optimization list is built before it is assigned (the Semgrep rule needs it inline) ---
def export(model):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    opts = [tf.lite.Optimize.DEFAULT]
    converter.optimizations = opts  # $ Alert
    return converter.convert()


# --- near misses ---
def float_export(model):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = []
    return converter.convert()


def half_precision(model):
    return model.half()
