import opacus
import tensorflow as tf
import tensorflow_privacy
import torch
from opacus import PrivacyEngine
from tensorflow_privacy.privacy.optimizers import dp_optimizer_keras
from tensorflow_privacy.privacy.optimizers.dp_optimizer_keras import DPKerasAdamOptimizer

model = torch.nn.Linear(10, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

# ruleid: differentially-private-training
privacy_engine = PrivacyEngine()

# ruleid: differentially-private-training
model, optimizer, loader = privacy_engine.make_private(
    module=model, optimizer=optimizer, data_loader=loader, noise_multiplier=1.1, max_grad_norm=1.0,
)

# ruleid: differentially-private-training
model, optimizer, loader = privacy_engine.make_private_with_epsilon(
    module=model, optimizer=optimizer, data_loader=loader, target_epsilon=3.0, target_delta=1e-5,
    epochs=10, max_grad_norm=1.0,
)

# ruleid: differentially-private-training
gs_model = opacus.GradSampleModule(model)

# ruleid: differentially-private-training
dp_opt = dp_optimizer_keras.DPKerasSGDOptimizer(
    l2_norm_clip=1.0, noise_multiplier=1.1, num_microbatches=250, learning_rate=0.15)

# ruleid: differentially-private-training
dp_adam = DPKerasAdamOptimizer(1.0, 1.1, 250, learning_rate=1e-3)

# ruleid: differentially-private-training
dp_model = tensorflow_privacy.DPSequential(l2_norm_clip=1.0, noise_multiplier=1.1, layers=[tf.keras.layers.Dense(2)])

# ruleid: differentially-private-training
DPSGD = tensorflow_privacy.make_keras_optimizer_class(tf.keras.optimizers.SGD)

# Near misses: ordinary optimizers, unrelated engines and privacy words.
# ok: differentially-private-training
plain_opt = torch.optim.SGD(model.parameters(), lr=0.05)

# ok: differentially-private-training
keras_opt = tf.keras.optimizers.Adam(learning_rate=1e-3)

# ok: differentially-private-training
engine = create_supervised_trainer(model, optimizer, loss_fn)

# ok: differentially-private-training
report = privacy_policy.make_report(model)

# ok: differentially-private-training
clipped = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)

# ruleid: differentially-private-training
dp_sgd = dp_optimizer_keras.DPKerasSGDOptimizer(
    # ok: differentially-private-training
    l2_norm_clip=float(config.clip),
    noise_multiplier=1.1,
    num_microbatches=1,
)
