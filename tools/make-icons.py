#!/usr/bin/env python3
"""Draws the app icons (a rising line on FinSight blue) as PNGs, standard library only:
tools/make-icons.py writes src/FinSight.Web/wwwroot/icons/icon-{192,512}.png. The line stays inside the
central 60 %, so the same files serve as maskable icons."""
import math, os, struct, zlib

BLUE = (13, 110, 253)
WHITE = (255, 255, 255)
# The line, in units of the icon's size.
POINTS = [(0.22, 0.68), (0.40, 0.50), (0.53, 0.60), (0.78, 0.32)]


def seg_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def draw(size):
    half_width = size * 0.045
    pts = [(x * size, y * size) for x, y in POINTS]
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = min(seg_distance(x + .5, y + .5, *pts[i], *pts[i + 1]) for i in range(len(pts) - 1))
            # Dot at the last point.
            d = min(d, math.hypot(x + .5 - pts[-1][0], y + .5 - pts[-1][1]) - size * 0.035)
            a = max(0.0, min(1.0, half_width - d + .5))  # anti-aliased edge
            row += bytes(round(BLUE[c] * (1 - a) + WHITE[c] * a) for c in range(3))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


out = os.path.join(os.path.dirname(__file__), "..", "src", "FinSight.Web", "wwwroot", "icons")
for size in (192, 512):
    with open(os.path.join(out, f"icon-{size}.png"), "wb") as f:
        f.write(draw(size))
