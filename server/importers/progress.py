"""Progress of a long import: a tqdm bar on a terminal, a plain line per tenth otherwise.

Progress is measured in bytes of the input read, which every source can report (a streamed
200 MB feed has no item count until its end).
"""

from __future__ import annotations

from typing import IO, Any

from tqdm import tqdm


class Progress:
    def __init__(self, label: str, total_bytes: int | None, out: IO[str] | None) -> None:
        self._label = label
        self._total = total_bytes or 0
        self._out = out
        self._bar: tqdm[Any] | None = None
        self._next_tenth = 1
        if out is not None and out.isatty():
            self._bar = tqdm(
                total=total_bytes, desc=label, unit="B", unit_scale=True, file=out, leave=True
            )

    def update(self, position: int, entries: int) -> None:
        """The input has been read up to ``position`` bytes, ``entries`` entries so far."""
        if self._bar is not None:
            self._bar.update(position - self._bar.n)
            self._bar.set_postfix(entries=entries, refresh=False)
            return
        if self._out is None or not self._total:
            return
        while self._next_tenth <= 10 and position * 10 >= self._total * self._next_tenth:
            print(f"{self._label}: {self._next_tenth * 10}% ({entries} entries)", file=self._out)
            self._next_tenth += 1

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
