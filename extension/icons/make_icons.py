"""Draw Gloss's toolbar icons (a speech-bubble card with a highlighted line) as PNGs.

Standard library only, so anyone can regenerate them: python3 extension/icons/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZES = (16, 32, 48, 128)
SAMPLES = 4  # supersampling per axis, for smooth edges

BG = (59, 76, 202)
CARD = (255, 255, 255)
HIGHLIGHT = (255, 196, 0)
LINE = (170, 179, 255)


def rounded_rect(x: float, y: float, box: tuple[float, float, float, float], r: float) -> bool:
    x0, y0, x1, y1 = box
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def in_triangle(x: float, y: float, a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> bool:
    def side(p: tuple[float, float], q: tuple[float, float]) -> float:
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def color_at(x: float, y: float) -> tuple[int, int, int, int]:
    """Colour of a point in unit coordinates (0..1), later shapes on top."""
    if not rounded_rect(x, y, (0.0, 0.0, 1.0, 1.0), 0.22):
        return (0, 0, 0, 0)
    rgb = BG
    if rounded_rect(x, y, (0.17, 0.2, 0.83, 0.68), 0.08) or in_triangle(x, y, (0.28, 0.6), (0.28, 0.84), (0.48, 0.66)):
        rgb = CARD
    if rounded_rect(x, y, (0.26, 0.3, 0.74, 0.42), 0.03):
        rgb = HIGHLIGHT
    if rounded_rect(x, y, (0.26, 0.5, 0.6, 0.57), 0.03):
        rgb = LINE
    return (*rgb, 255)


def render(size: int) -> bytes:
    rows = []
    n = SAMPLES * SAMPLES
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    r, g, b, a = color_at((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3] / n
            if acc[3]:
                row += bytes((round(acc[0] / acc[3]), round(acc[1] / acc[3]), round(acc[2] / acc[3]), round(alpha)))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    here = Path(__file__).parent
    for size in SIZES:
        (here / f"icon-{size}.png").write_bytes(render(size))
