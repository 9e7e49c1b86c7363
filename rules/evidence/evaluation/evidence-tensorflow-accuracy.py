import tensorflow as tf

logits = tf.zeros([4, 2])
labels = tf.zeros([4], tf.int64)
probs = tf.sigmoid(logits)

# ruleid: evidence-tensorflow-accuracy
top1 = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, labels, 1), tf.float32))

# ruleid: evidence-tensorflow-accuracy
hits = tf.math.in_top_k(labels, logits, k=5)

# ruleid: evidence-tensorflow-accuracy
correct = tf.equal(tf.argmax(logits, 1), labels)
acc = tf.reduce_mean(tf.cast(correct, tf.float32))

# ruleid: evidence-tensorflow-accuracy
same = tf.equal(labels, tf.round(probs, name="rounded"))

# ruleid: evidence-tensorflow-accuracy
acc_op = tf.compat.v1.metrics.accuracy(labels=labels, predictions=tf.argmax(logits, 1))

# ruleid: evidence-tensorflow-accuracy
agree = tf.math.equal(tf.math.argmax(logits, axis=-1), labels)

# Near misses: equality masks and arg-max alone are no scoring of predictions.
# ok: evidence-tensorflow-accuracy
padding = tf.equal(labels, 0)

# ok: evidence-tensorflow-accuracy
mask = tf.cast(tf.math.equal(labels, -1), tf.float32)

# ok: evidence-tensorflow-accuracy
predicted = tf.argmax(logits, 1)

# ok: evidence-tensorflow-accuracy
rounded = tf.round(probs)
