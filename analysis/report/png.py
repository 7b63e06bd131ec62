"""PNG files of the figures: Agg's pixels as they are (lossless), without PNG's row filters.

A figure's PNG is mostly white paper with thin lines and texts.  Pillow, which matplotlib writes
PNG files with, tries PNG's five row filters on every row and keeps the one that sums to least
(libpng's heuristic): for these images that choice cost more than compressing the rows, and
gave larger files than no filter at all (PSS's 50 figures: 7.2 MB in 1.01 CPU-s with Pillow at
zlib level 1; 6.4 MB in 0.36 CPU-s unfiltered, as RGB).  ``encode_png`` writes the rows
unfiltered (filter type 0) in one zlib stream, as RGB when every pixel is opaque (the figures'
paper is; the alpha channel then says nothing) and as RGBA otherwise, with the resolution
(``pHYs``, as Pillow writes it) and text chunks (``tEXt``) matplotlib would write.  Decoded, the
file gives back exactly the pixels it was given (``tests/test_speed7_f_png.py``).

>>> px = np.full((2, 3, 4), 255, dtype=np.uint8)
>>> data = encode_png(px, 150, {"Software": None})
>>> data[:8] == PNG_SIGNATURE, data[12:16], data[25]
(True, b'IHDR', 2)
"""
from __future__ import annotations

import struct
import zlib

import numpy as np

__all__ = ["encode_png", "PNG_SIGNATURE", "DEFAULT_LEVEL"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFAULT_LEVEL = 6                      # zlib's (and Pillow's) default compression level


def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(tag)))


def encode_png(rgba: np.ndarray, dpi: float | None = None, text: dict | None = None,
               level: int = DEFAULT_LEVEL) -> bytes:
    """The PNG file of the 8-bit pixels ``rgba`` (height x width x 4, rows from the top).

    RGB (colour type 2) when every alpha is 255, else RGBA (type 6); rows unfiltered, deflated
    at zlib ``level``; ``dpi`` written as pixels per metre (``pHYs``, rounded as Pillow does);
    ``text``: keyword -> value (latin-1) as ``tEXt`` chunks, a None value left out.
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
        raise ValueError(f"encode_png: 8-bit RGBA pixels expected, got {rgba.dtype} of shape {rgba.shape}")
    h, w, _ = rgba.shape
    opaque = bool((rgba[..., 3] == 255).all())
    pixels = rgba[..., :3] if opaque else rgba
    rows = np.empty((h, 1 + w * pixels.shape[2]), dtype=np.uint8)    # each row: filter type 0, then its bytes
    rows[:, 0] = 0
    np.copyto(np.reshape(rows[:, 1:], pixels.shape, copy=False), pixels)     # one copy, into place
    parts = [PNG_SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2 if opaque else 6, 0, 0, 0))]
    for key, value in (text or {}).items():
        if value is not None:
            parts.append(_chunk(b"tEXt", str(key).encode("latin-1") + b"\0" + str(value).encode("latin-1")))
    if dpi:
        per_metre = int(dpi / 0.0254 + 0.5)
        parts.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    parts += [_chunk(b"IDAT", zlib.compress(rows, level)), _chunk(b"IEND", b"")]
    return b"".join(parts)
