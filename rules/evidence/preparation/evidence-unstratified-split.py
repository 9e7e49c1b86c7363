import torch
from sklearn.model_selection import train_test_split

# ruleid: evidence-unstratified-split
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=0)

# ruleid: evidence-unstratified-split
train, val = torch.utils.data.random_split(dataset, [800, 200])

# ruleid: evidence-unstratified-split
model.fit(X, y, epochs=3, validation_split=0.1)

# Near misses: stratified or time-ordered splits.
# ok: evidence-unstratified-split
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y)

# ok: evidence-unstratified-split
X_tr, X_te = train_test_split(X, test_size=0.2, shuffle=False)

# ok: evidence-unstratified-split
model.fit(X, y, validation_data=(X_val, y_val))
