"""Hyperactive accounts: a firehose account (a news aggregator, a spam bot) acts on so many
targets that it meets every ordinary account by chance. Such an account is reported with
the run, and the targets it shares count for less in its edges, so it does not link to
everyone (CooRTweet drops them; we keep them, damped, so a ring of firehoses still shows).

An account is hyperactive when it has more than `factor` times the median account's events
of the run's kind; each target it shares is then multiplied by threshold / its events (an
account 10x over the threshold counts a tenth). The null model keeps every account's
events, so the factors are the same in every replicate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ("account", "events", "factor")


def hyperactive_accounts(events: pd.DataFrame, factor: float) -> pd.DataFrame:
    """account, events, factor (< 1) of the accounts above `factor` x the median account's
    event count, most active first; none when `factor` is 0."""
    counts = events["account"].value_counts()
    if not factor or counts.empty:
        return pd.DataFrame({c: [] for c in COLUMNS}).astype(
            {"account": object, "events": np.int64, "factor": float})
    threshold = factor * float(counts.median())
    over = counts[counts > threshold]
    return pd.DataFrame({"account": over.index.to_numpy(dtype=object),
                         "events": over.to_numpy(dtype=np.int64),
                         "factor": threshold / over.to_numpy(dtype=float)})
