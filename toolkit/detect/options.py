"""The named choices of a detection run (kind, ring clustering, null model), in a module of
their own that imports nothing heavy: the CLI builds its options from them at start-up,
before any of numpy, pandas, igraph or the driver is needed."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CO_RETWEET = "co-retweet"
    CO_TWEET = "co-tweet"
    CO_SIMILAR_TWEET = "co-similar-tweet"
    CO_LINK = "co-link"
    CO_DOMAIN = "co-domain"
    CO_HASHTAG = "co-hashtag"
    CO_HASHTAG_SEQUENCE = "co-hashtag-sequence"
    CO_REPLY = "co-reply"
    CO_MENTION = "co-mention"
    CO_POST = "co-post"


class RingMethod(StrEnum):
    LEIDEN = "leiden"
    COMPONENTS = "components"


class Weighting(StrEnum):
    """How a shared target counts toward a pair's weight (toolkit.detect.pairs)."""

    IDF = "idf"
    COUNT = "count"


class NullModel(StrEnum):
    PERMUTE = "permute"
    SHIFT = "shift"
