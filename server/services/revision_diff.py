"""Word-level differences between two revisions of a note, field by field.

Built on the standard library's ``difflib.SequenceMatcher`` run over word tokens: it is
maintained with CPython itself, needs no new dependency, works on any sequence (so words, not
characters, are the unit curators read), and gives opcodes we render as insert/delete runs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

FIELDS = (
    "kind",
    "status",
    "title",
    "summary",
    "body",
    "rating",
    "quotes",
    "domains",
    "aliases",
    "sources",
)
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text: in both (``same``), only in the old (``del``) or only in the new (``ins``)."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldDiff:
    name: str
    changed: bool
    pieces: tuple[Piece, ...]


def as_text(name: str, value: Any) -> str:
    """A field as curators read it: lists one item per line, sources as "title — url"."""
    if value is None:
        return ""
    if name == "sources":
        return "\n".join(f"{s['title']} — {s['url']}" for s in value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def words(text: str) -> list[str]:
    """Words and the white space between them, so joining the tokens gives the text back."""
    return _TOKEN.findall(text)


def diff_text(old: str, new: str) -> tuple[Piece, ...]:
    a, b = words(old), words(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(b[j1:j2])))
    return tuple(pieces)


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """One entry per note field, in form order; unchanged fields say so."""
    out = []
    for name in FIELDS:
        before, after = as_text(name, old.get(name)), as_text(name, new.get(name))
        out.append(FieldDiff(name, before != after, diff_text(before, after)))
    return out
