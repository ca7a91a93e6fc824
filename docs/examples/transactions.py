"""Write ``transactions.csv``, the made-up card-payment data behind the README's command-line examples.

8,000 payments, about 1 in 90 fraudulent; two informative numeric features, three noisy ones,
a merchant category and a transaction ID. Run: ``python docs/examples/transactions.py [OUT]``.
"""

import sys

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification


def make_transactions(n=8000, seed=7) -> pd.DataFrame:
    X, y = make_classification(n_samples=n, n_features=5, n_informative=2, n_redundant=1, weights=[0.989],
                               flip_y=0.002, class_sep=1.2, random_state=seed)
    rng = np.random.default_rng(seed)
    merchant = rng.choice(["grocery", "fuel", "online", "travel", "other"], size=n, p=[0.35, 0.2, 0.25, 0.1, 0.1])
    return pd.DataFrame({
        "transaction_id": np.arange(100_000, 100_000 + n),
        "amount": np.round(np.exp(3 + 0.8 * X[:, 0]), 2),
        "hour": np.clip(np.round(12 + 4 * X[:, 1]), 0, 23).astype(int),
        "v1": np.round(X[:, 2], 4),
        "v2": np.round(X[:, 3], 4),
        "v3": np.round(X[:, 4], 4),
        "merchant": merchant,
        "is_fraud": y,
    })


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else "transactions.csv"
    make_transactions().to_csv(out, index=False)
    print(f"wrote {out}")
