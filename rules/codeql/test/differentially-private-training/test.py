import tensorflow_privacy
from opacus import PrivacyEngine as PE


# --- the engine is created in one function and used in another ---
def make_engine():
    return PE()  # $ Alert


def wrap(model, optimizer, loader):
    engine = make_engine()
    return engine.make_private(module=model, optimizer=optimizer, data_loader=loader, noise_multiplier=1.1, max_grad_norm=1.0)  # $ Alert


def keras_optimizer():
    return tensorflow_privacy.DPKerasSGDOptimizer(l2_norm_clip=1.0, noise_multiplier=1.1, num_microbatches=1)  # $ Alert


# --- near misses ---
def not_a_privacy_engine(thing, model):
    # Any object with a `make_private` method; the Semgrep rule reports it, CodeQL knows better.
    return thing.make_private(module=model)


def accounting_only(n, batch_size):
    return tensorflow_privacy.compute_dp_sgd_privacy_statement(n, batch_size, 1.1, 10, 1e-5)
