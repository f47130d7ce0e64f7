"""What the window says: the status line of a step, the offer to continue on the CPU."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


def status_text(result, paint_ms: float) -> str:
    b = result.batch
    first = result.panels[0].stats
    rng = f"[{first.min:.3g}, {first.max:.3g}]" if first is not None else ""
    load_ms, compute_ms = (result.timings[k] * 1000 for k in ("load", "compute"))
    loading = f" · data loaded in {load_ms:.0f} ms" if load_ms > 50 else ""
    notes = f" · {'; '.join(result.notes)}" if result.notes else ""
    image = f" · image #{b.start + result.request.image}" \
        if result.request.mode != "activations" else ""
    return (f"Batch {b.index} of {result.num_batches} (0–{result.num_batches - 1}) · images"
            f" {b.start}–{b.start + len(b.labels) - 1} of {result.num_images:,}{image} · input"
            f" range {rng} · {result.device} · engine {compute_ms:.1f} ms · paint"
            f" {paint_ms:.1f} ms{loading}{notes}")


def offer_cpu(parent, exc, on_yes) -> QMessageBox:
    """A device failed: offer to go on with the CPU (``on_yes``)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Device failure",
                      f"{exc}.\n\nContinue on the CPU?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setModal(False)
    box.accepted.connect(on_yes)
    box.open()
    return box
