"""End to end: a real TensorBoard server on loopback reads an export through its HTTP API."""

import io
import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest
from PIL import Image

from activation_lens.engine.export import export_session
from activation_lens.engine.pipeline import StepRequest
from tests.helpers import read_images

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def test_tensorboard_server_serves_every_tag_and_step_of_an_export(cifar, tmp_path):
    logdir = tmp_path / "logs"
    outcome = export_session(StepRequest(data_root=str(cifar.root), batch_size=10), logdir)
    steps = len(outcome.steps_written)
    assert steps == 13  # more than TensorBoard's default of 10 samples per tag
    expected = read_images(logdir)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorboard.main", "--logdir", str(logdir), "--host",
         "127.0.0.1", "--port", str(port), "--samples_per_plugin", f"images={steps}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/data/plugin/images"
    try:
        deadline = time.monotonic() + 60
        tags = {}
        while time.monotonic() < deadline:
            try:
                tags = json.loads(_get(f"{base}/tags")).get(".", {})
                if len(tags) == 3:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert sorted(tags) == ["input", "output_relu", "output_sigmoid"]
        for tag in tags:
            q = urllib.parse.urlencode({"run": ".", "tag": tag, "sample": 0})
            entries = json.loads(_get(f"{base}/images?{q}"))
            assert [e["step"] for e in entries] == list(range(steps))
            for e in entries:
                png = _get(f"{base}/individualImage?{e['query']}")
                pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
                assert np.array_equal(pixels, expected[tag][e["step"]]), (tag, e["step"])
    finally:
        server.terminate()
        server.wait(timeout=10)
