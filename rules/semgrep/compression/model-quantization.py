import tensorflow as tf
import tensorflow_model_optimization as tfmot
import torch
import torch.nn as nn
from torch.ao.quantization import QuantStub, DeQuantStub, convert, prepare
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
from transformers import AutoModelForCausalLM, BitsAndBytesConfig

model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))

# ruleid: model-quantization
qmodel = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)

# ruleid: model-quantization
legacy = torch.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # A stub is an identity until convert (reported there).
        # ok: model-quantization
        self.quant = QuantStub()
        # ok: model-quantization
        self.dequant = DeQuantStub()
        self.fc = nn.Linear(8, 1)


net = Net()
# ruleid: model-quantization
net.qconfig = torch.ao.quantization.get_default_qconfig("x86")
# ruleid: model-quantization
model.qconfig = torch.quantization.get_default_qat_qconfig("fbgemm")
# ok: model-quantization
net.qconfig = None
# ok: model-quantization
prepared = prepare(net)
# ruleid: model-quantization
int8 = convert(prepared)

# ok: model-quantization
fx_prepared = prepare_fx(model, {"": None}, example_inputs=(torch.randn(1, 8),))
# ruleid: model-quantization
fx_int8 = convert_fx(fx_prepared)

keras_model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
# ruleid: model-quantization
qat = tfmot.quantization.keras.quantize_model(keras_model)

converter = tf.lite.TFLiteConverter.from_keras_model(keras_model)
# ruleid: model-quantization
converter.optimizations = [tf.lite.Optimize.DEFAULT]

# ruleid: model-quantization
llm = AutoModelForCausalLM.from_pretrained("gpt2", load_in_8bit=True)

# ruleid: model-quantization
bnb = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4")

# Near misses: half precision casts, tensor-level quantize ops, unrelated "Optimize"/"quantize".
# ok: model-quantization
half = model.half()

# ok: model-quantization
bf16 = model.to(torch.bfloat16)

# ok: model-quantization
converter.optimizations = []

# ok: model-quantization
tflite_bytes = tf.lite.TFLiteConverter.from_keras_model(keras_model).convert()

# ok: model-quantization
qt = torch.quantize_per_tensor(torch.randn(3), 0.1, 0, torch.quint8)

from scipy import optimize

# ok: model-quantization
res = optimize.minimize(lambda x: x ** 2, 1.0)


def quantize(codes, codebook):
    return codebook[codes.argmin(-1)]


# ok: model-quantization
z_q = quantize(torch.randn(4, 16), torch.randn(16, 8))

# ok: model-quantization
full = AutoModelForCausalLM.from_pretrained("gpt2", load_in_8bit=False)
