"""Compute devices: what is available here, and turning user text into a torch.device."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass

from .errors import ActlensError, quote_user
from .text import Text


@dataclass(frozen=True)
class DeviceInfo:
    id: str  # "cpu", "cuda:0", "mps"
    name: str  # e.g. "NVIDIA H100 80GB HBM3"


def available_devices() -> list[DeviceInfo]:
    import torch

    cpu_name = platform.processor() or platform.machine() or "CPU"
    found = [DeviceInfo("cpu", Text("{cpu} ({n} cores)", cpu=cpu_name, n=os.cpu_count() or 1))]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            found.append(DeviceInfo(f"cuda:{i}", torch.cuda.get_device_name(i)))
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        found.append(DeviceInfo("mps", "Apple Metal (MPS)"))
    return found


def pick_device(text: str, ids: list[str]) -> str | None:
    """The id among ``ids`` that ``cpu``, ``cuda``, ``cuda:N``, ``mps`` or ``auto`` names;
    None when that device is not among them."""
    want = (text or "cpu").strip().lower()
    if want == "auto":
        return next((d for prefix in ("cuda", "mps") for d in ids if d.startswith(prefix)), "cpu")
    if want == "cuda":
        want = "cuda:0"
    return want if want in ids else None


def resolve_device(text: str):
    """``cpu``, ``cuda``, ``cuda:N``, ``mps`` or ``auto`` -> an available torch.device."""
    import torch

    if (text or "cpu").strip().lower() == "cpu":
        return torch.device("cpu")  # always there: no need to ask the drivers each step
    available = available_devices()
    picked = pick_device(text, [d.id for d in available])
    if picked is not None:
        return torch.device(picked)
    listed = ", ".join(f"{d.id} ({d.name})" for d in available)
    want = text.strip().lower()
    if want.startswith(("cuda", "mps")):
        raise ActlensError(Text("device '{device}' is not available here; available: {listed}",
                                device=quote_user(text), listed=listed))
    raise ActlensError(
        f"unknown device '{quote_user(text)}'; use cpu, cuda, cuda:N, mps or auto (available: {listed})"
    )
