"""`--window auto`: estimate the coordination interval from the data, in the spirit of
CooRnet's `estimate_coord_interval` (Giglietto et al.).

For every target acted on by at least two accounts, take the delay between its first event
and the first event of another account (the "second share"); the window is the `q`-quantile
(default 0.1: the fastest tenth) of those delays, rounded up to whole seconds and at least
one second. CooRnet additionally keeps only URLs whose second share falls in the first half
of their shares (URLs shared 2-3 times); we keep every target, which is steadier on small
samples and says the same thing on large ones.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import BadParameter


def auto_window_ms(events: pd.DataFrame, q: float = 0.1) -> int:
    """The estimated window in milliseconds (whole seconds, >= 1 s)."""
    if not 0 < q < 1:
        raise BadParameter("window_quantile", f"{q}: must be between 0 and 1")
    if events.empty:
        raise BadParameter("window", "auto: there are no events to estimate it from (is "
                           "anything loaded?); give --window SECONDS")
    e = events[["target", "account", "time_ms"]].sort_values(["target", "time_ms"])
    first = e.groupby("target", sort=False).first()
    e = e.merge(first.add_suffix("_first"), left_on="target", right_index=True)
    others = e[e["account"] != e["account_first"]]
    delays = others.groupby("target", sort=False)["time_ms"].first() - first.loc[
        others["target"].unique(), "time_ms"]
    if delays.empty:
        raise BadParameter("window", "auto: no target is shared by two accounts; give "
                           "--window SECONDS")
    quantile = float(np.quantile(delays.to_numpy(), q))
    return max(1000, int(np.ceil(quantile / 1000)) * 1000)
