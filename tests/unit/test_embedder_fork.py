"""The model session across a fork: the gunicorn master may embed claims while it builds the
shared index (server.prefork), and its workers are forked from it."""

from __future__ import annotations

import multiprocessing
import os

import numpy as np

from server.semantic.embedder import Embedder

SENTENCE = "The harbour reopened after the storm."


def _child(embedder: Embedder, inherited: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    vector = embedder.embed([SENTENCE])[0]
    out.put((id(embedder._session) != inherited, embedder._pid == os.getpid(), vector.tolist()))


def test_a_forked_worker_loads_its_own_session_and_embeds_as_its_parent() -> None:
    embedder = Embedder()
    parent = embedder.embed([SENTENCE])[0]
    context = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    child = context.Process(target=_child, args=(embedder, id(embedder._session), out))
    child.start()
    try:
        new_session, owned, vector = out.get(timeout=120)
        child.join(timeout=30)
    finally:
        if child.is_alive():
            child.kill()

    assert child.exitcode == 0
    assert new_session
    assert owned
    assert np.allclose(np.asarray(vector), parent, atol=1e-5)
