"""Batches of the embedder: padded as little as it pays, each text keeps its own vector."""

from __future__ import annotations

import numpy as np
import pytest

from server.semantic.embedder import Embedder, batches


@pytest.mark.parametrize(
    ("lengths", "size", "slack", "expected"),
    [
        ([], 4, 6, []),
        ([10], 4, 6, [[0]]),
        ([30, 10, 12, 31], 4, 6, [[1, 2], [0, 3]]),  # shortest first, within slack
        ([10, 10, 10, 10, 10], 2, 6, [[0, 1], [2, 3], [4]]),  # at most size
        ([10, 16, 17], 4, 6, [[0, 1], [2]]),  # slack counts from the batch's shortest
        ([10, 11], 4, 0, [[0], [1]]),
    ],
)
def test_batches_group_texts_of_about_the_same_length(
    lengths: list[int], size: int, slack: int, expected: list[list[int]]
) -> None:
    assert batches(lengths, size, slack) == expected


def test_a_text_gets_the_same_vector_alone_or_among_longer_and_shorter_ones() -> None:
    texts = [
        "The harbour reopened after the storm.",
        "Rain.",
        "The council said on Tuesday that the harbour, closed for three weeks after the "
        "storm that flooded the old town, would reopen to fishing boats and ferries.",
        "The harbour opened again once the storm had passed.",
    ]
    embedder = Embedder()

    together = embedder.embed(texts)
    alone = np.stack([embedder.embed([t])[0] for t in texts])

    assert together.shape == (4, 384)
    assert np.allclose(together, alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
