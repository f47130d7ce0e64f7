"""Grids and PNG encoding."""

import io

import numpy as np
import pytest
from PIL import Image

from activation_lens.engine.imaging import cell_at, encode_png, make_grid


def _imgs(n, h=4, w=5, c=3):
    return np.arange(n * h * w * c, dtype=np.uint32).astype(np.uint8).reshape(n, h, w, c)


@pytest.mark.parametrize("n", [1, 5, 8, 13, 64])
def test_unpadded_grid_matches_tensorboards_make_grid(n):
    from torch.utils.tensorboard._utils import make_grid as tb_make_grid

    imgs = _imgs(n)
    expected = tb_make_grid(imgs.transpose(0, 3, 1, 2)).transpose(1, 2, 0)
    assert np.array_equal(make_grid(imgs), expected)


def test_padded_grid_places_each_image_after_a_gap_and_fills_blank_cells():
    imgs = _imgs(10)
    grid = make_grid(imgs, ncols=8, pad=2, pad_value=40)
    assert grid.shape == (2 * 4 + 2, 8 * 5 + 7 * 2, 3)
    assert np.array_equal(grid[6:10, 7:12], imgs[9])
    assert (grid[4:6] == 40).all() and (grid[6:10, 14:19] == 40).all()


def test_single_channel_images_become_grey_rgb():
    grid = make_grid(_imgs(2, c=1))
    assert grid.shape[2] == 3 and np.array_equal(grid[..., 0], grid[..., 2])


def test_cell_at_maps_grid_pixels_to_image_indices_and_gaps_to_none():
    assert cell_at(0, 0, 10, 4, 5, 8, 2) == 0
    assert cell_at(7, 0, 10, 4, 5, 8, 2) == 1
    assert cell_at(5, 0, 10, 4, 5, 8, 2) is None  # in the gap
    assert cell_at(8, 7, 10, 4, 5, 8, 2) == 9
    assert cell_at(15, 7, 10, 4, 5, 8, 2) is None  # a blank cell past the last image


def test_png_decodes_to_exactly_the_encoded_pixels():
    rgb = np.random.default_rng(0).integers(0, 256, (37, 53, 3), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(rgb))).convert("RGB"))
    assert np.array_equal(decoded, rgb)
