"""Compute devices: what is available here, and turning user text into a torch.device."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass

from engine.errors import ActlensError


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # "cpu", "cuda:0", "mps"
    name: str  # e.g. "NVIDIA H100 80GB HBM3"


def available_devices() -> list[DeviceInfo]:
    import torch

    cpu_name = platform.processor() or platform.machine() or "CPU"
    found = [DeviceInfo("cpu", f"{cpu_name} ({os.cpu_count() or 1} cores)")]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            found.append(DeviceInfo(f"cuda:{i}", torch.cuda.get_device_name(i)))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        found.append(DeviceInfo("mps", "Apple Metal (MPS)"))
    return found


def resolve_device(text: str):
    """``cpu``, ``cuda``, ``cuda:N``, ``mps`` or ``auto`` -> an available torch.device."""
    import torch

    want = (text or "cpu").strip().lower()
    available = available_devices()
    ids = [d.id for d in available]
    if want == "auto":
        for prefix in ("cuda", "mps"):
            for d in ids:
                if d.startswith(prefix):
                    return torch.device(d)
        return torch.device("cpu")
    if want == "cuda":
        want = "cuda:0"
    if want in ids:
        return torch.device(want)
    listed = ", ".join(f"{d.id} ({d.name})" for d in available)
    if want.startswith(("cuda", "mps")) or want == "cpu":
        raise ActlensError(f"device '{text}' is not available here; available: {listed}")
    raise ActlensError(
        f"unknown device '{text}'; use cpu, cuda, cuda:N, mps or auto (available: {listed})"
    )
