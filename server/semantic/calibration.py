"""Thresholds of the reworded tier, chosen on CLEF CheckThat! 2020 train and dev (never test).

Measured with all-MiniLM-L6-v2 int8 over the 10,375 claims, 997 train+dev tweets (each
tweet's signature line a passage of its own, as pages embed tweets):

- right claim first 0.744 without the acceptance checks, 0.539 with them; at an equal rate
  of cards on tweets whose claims are held out, the checks keep as many right cards
  (0.265 at 7.2 % held-out with checks vs 0.258 at 7.5 % without).
- ``THRESHOLD`` 0.77: at 0.76 at most 5 % of tweets whose claims are removed still get a
  card (4.9 %), at 0.77 4.5 %; the step above keeps a margin. 15.3 % of train/dev tweets
  then get the right card. Snopes holds many near-twin claims and train/dev tweets are
  loose paraphrases: this is the price of the held-out bound, paid knowingly.
- ``CANDIDATES`` 100: the gold claim is among a sentence's 100 best lexical candidates for
  92.4 % (dev) and 96.8 % (train) of tweets.
- ``MIN_LEXICAL`` 1.3: 99 % of gold pairs above cosine 0.7 share at least 1.36 "rarest
  words" of idf weight with the tweet; sentences below it are never embedded.
- ``score``: logistic fit of "the top pair is the right claim" on cosine over the train
  split's top-5 pairs (a = 13.871, b = -9.343).
"""

from __future__ import annotations

import math

THRESHOLD = 0.77
CANDIDATES = 100
MIN_LEXICAL = 1.3
# Fresh sentences embedded per request (~10 ms each here); cached ones are free.
BUDGET = 16
_A, _B = 13.871, -9.343


def score(similarity: float) -> float:
    """The card score (0-100): how often a pair this similar was the right claim on train."""
    return round(100.0 / (1.0 + math.exp(-(_A * similarity + _B))), 1)
