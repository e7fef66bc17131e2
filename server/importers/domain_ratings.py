"""Rating sets as ``domain,score`` CSV files (a header row, the domain first, the value second).

A value that is a number is a score on the set's scale; anything else is a label. Known sets
carry their name, scale, citation and licence; another set is named on the command line.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from pydantic import TypeAdapter, ValidationError

from server.importers.entries import Entry, RatingEntry, Refused, Unreadable
from server.schemas import Domain

SOURCE = "domain-ratings"
_domain = TypeAdapter(Domain)


@dataclass(frozen=True)
class RatingSet:
    name: str
    scale: str | None
    citation: str
    url: str | None
    licence: str
    worst: float | None = None
    best: float | None = None


KNOWN_SETS = {
    "lin2023": RatingSet(
        name="Lin et al. 2023",
        scale="0 to 1, higher is better quality",
        citation=(
            "Lin, H. et al. (2023). High level of correspondence across different news domain "
            "quality rating sets. PNAS Nexus 2(9), pgad286."
        ),
        url="https://doi.org/10.1093/pnasnexus/pgad286",
        licence="Free to reuse with a citation of the paper",
        worst=0.0,
        best=1.0,
    ),
}


def entries(stream: IO[bytes], rating_set: RatingSet) -> Iterator[Entry]:
    try:
        yield from _rows(stream, rating_set)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise Unreadable(f"not a UTF-8 CSV file: {exc}") from None


def _rows(stream: IO[bytes], rating_set: RatingSet) -> Iterator[Entry]:
    lines = (raw.decode("utf-8-sig") for raw in stream)
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        entry_id = row[0].strip() or f"line {number}"
        if len(row) < 2:
            yield Refused(entry_id, "the row has no value")
            continue
        try:
            domain = _domain.validate_python(row[0])
        except ValidationError:
            yield Refused(entry_id, "not a domain name")
            continue
        yield _rating(domain, row[1].strip(), rating_set)


def _rating(domain: str, raw: str, rating_set: RatingSet) -> Entry:
    try:
        value: float | None = float(raw)
        label = None
    except ValueError:
        value, label = None, raw[:300] or None
    if value is None and label is None:
        return Refused(domain, "the row has no value")
    if value is not None and not _on_scale(value, rating_set):
        return Refused(domain, "the score is outside the set's scale")
    rating = {
        "set": rating_set.name,
        "value": value,
        "worst": rating_set.worst,
        "best": rating_set.best,
        "label": label,
        "scale": rating_set.scale,
        "citation": rating_set.citation,
        "url": rating_set.url,
        "domain": domain,
    }
    provenance = {
        "dataset": f"{SOURCE}: {rating_set.name}",
        "entry_id": domain,
        "licence": rating_set.licence,
        "attribution": f"Rating from {rating_set.citation}",
        "attribution_url": rating_set.url,
    }
    return RatingEntry(domain, rating, provenance)


def _on_scale(value: float, rating_set: RatingSet) -> bool:
    if value != value:  # NaN
        return False
    low = rating_set.worst if rating_set.worst is not None else float("-inf")
    high = rating_set.best if rating_set.best is not None else float("inf")
    return low <= value <= high
