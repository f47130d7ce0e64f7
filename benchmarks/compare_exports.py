"""Do two TensorBoard exports hold the same thing? Every image, histogram and scalar record,
keyed by (kind, tag, step), is compared: images as decoded pixels, histograms bucket by bucket.
Used to check that a change to the code leaves what an export writes as it was:

    actlens export --batches 0:3 --histograms --logdir /tmp/a [options]   # one version
    actlens export --batches 0:3 --histograms --logdir /tmp/b [options]   # the other
    python benchmarks/compare_exports.py /tmp/a /tmp/b

Exits 0 when both hold the same records with the same contents, 1 otherwise.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np


def records(logdir: Path) -> dict[tuple[str, str, int], np.ndarray]:
    """(kind, tag, step) -> contents, over every event file under ``logdir``."""
    from PIL import Image
    from tensorboard.backend.event_processing import event_accumulator as ea

    out = {}
    for path in sorted(logdir.rglob("events.out.tfevents.*")):
        acc = ea.EventAccumulator(str(path), size_guidance={ea.IMAGES: 0, ea.HISTOGRAMS: 0,
                                                             ea.SCALARS: 0})
        acc.Reload()
        run = str(path.parent.relative_to(logdir))
        tags = acc.Tags()
        for tag in tags["images"]:
            for e in acc.Images(tag):
                pixels = np.asarray(Image.open(io.BytesIO(e.encoded_image_string)))
                out[("image", f"{run}:{tag}", e.step)] = pixels
        for tag in tags["histograms"]:
            for e in acc.Histograms(tag):
                value = e.histogram_value
                out[("histogram", f"{run}:{tag}", e.step)] = np.array(
                    [*value.bucket_limit, *value.bucket])
        for tag in tags["scalars"]:
            for e in acc.Scalars(tag):
                out[("scalar", f"{run}:{tag}", e.step)] = np.array([e.value])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    args = ap.parse_args()
    a, b = records(args.a), records(args.b)
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    differ = sorted(k for k in set(a) & set(b)
                    if a[k].shape != b[k].shape or not np.array_equal(a[k], b[k]))
    kinds = sorted({k[0] for k in a})
    print(f"{len(a)} records in {args.a} ({', '.join(kinds)}), {len(b)} in {args.b}")
    for name, keys in (("only in the first", only_a), ("only in the second", only_b),
                       ("different", differ)):
        print(f"{name}: {len(keys)}" + "".join(f"\n  {k}" for k in keys[:20]))
    return 0 if not (only_a or only_b or differ) else 1


if __name__ == "__main__":
    sys.exit(main())
