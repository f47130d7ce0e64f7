"""uint8 image helpers: grids (TensorBoard's layout) and a fast lossless PNG encoder."""

from __future__ import annotations

import struct
import zlib

import numpy as np

GRID_COLUMNS = 8  # SummaryWriter.add_images lays batches out 8 to a row


def make_grid(
    images: np.ndarray, ncols: int = GRID_COLUMNS, pad: int = 0, pad_value: int = 0
) -> np.ndarray:
    """Tile uint8 (N, H, W, C) images into one (rows*H, cols*W, 3) C-contiguous RGB image.

    With ``pad=0`` the layout is exactly that of TensorBoard's ``make_grid``: ``min(N, ncols)``
    columns, row-major, unused cells black, single-channel images repeated to RGB.
    """
    n, h, w, c = images.shape
    if c == 1:
        images = np.repeat(images, 3, axis=3)
    ncols = max(1, min(n, ncols))
    nrows = -(-n // ncols)
    if n < nrows * ncols:  # blank cells complete the last row
        blank = np.full((nrows * ncols - n, h, w, 3), pad_value, dtype=np.uint8)
        images = np.concatenate([images, blank])
    cells = images.reshape(nrows, ncols, h, w, 3).transpose(0, 2, 1, 3, 4)
    if pad == 0:
        return np.ascontiguousarray(cells).reshape(nrows * h, ncols * w, 3)
    canvas = np.full((nrows, h + pad, ncols, w + pad, 3), pad_value, dtype=np.uint8)
    canvas[:, :h, :, :w] = cells
    canvas = canvas.reshape(nrows * (h + pad), ncols * (w + pad), 3)
    return np.ascontiguousarray(canvas[: nrows * (h + pad) - pad, : ncols * (w + pad) - pad])


def cell_at(x: int, y: int, n: int, h: int, w: int, ncols: int = GRID_COLUMNS, pad: int = 0):
    """Index of the image under grid pixel (x, y), or None between or beyond the cells."""
    ncols = max(1, min(n, ncols))
    col, cx = divmod(x, w + pad)
    row, cy = divmod(y, h + pad)
    if x < 0 or y < 0 or col >= ncols or cx >= w or cy >= h:
        return None
    i = row * ncols + col
    return i if i < n else None


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)) & 0xFFFFFFFF)
    )


def encode_png(rgb: np.ndarray) -> bytes:
    """Encode a uint8 (H, W, 3) array as PNG: Sub filter, Huffman-only deflate.

    PNG is lossless, so every encoder setting decodes to the same pixels. This one is
    several times faster than zlib's default on image grids for a file about 13% larger, and
    ``zlib`` releases the GIL, so encoders run in parallel threads.
    """
    h, w, c = rgb.shape
    if c != 3 or rgb.dtype != np.uint8:
        raise ValueError("encode_png expects uint8 (H, W, 3)")
    src = rgb.reshape(h, w * 3)
    rows = np.empty((h, 1 + w * 3), dtype=np.uint8)
    rows[:, 0] = 1  # filter type Sub: each byte minus the same channel of the pixel to its left
    rows[:, 1:4] = src[:, :3]
    np.subtract(src[:, 3:], src[:, :-3], out=rows[:, 4:])
    deflate = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_HUFFMAN_ONLY)
    idat = deflate.compress(rows.tobytes()) + deflate.flush()
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", idat),
            _chunk(b"IEND", b""),
        ]
    )
