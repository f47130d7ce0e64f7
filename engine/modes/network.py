"""Inside a small CNN (engine/network.py): one image's feature maps before and after each
activation, conv1 and conv2, the same seeded weights for every activation."""

from __future__ import annotations

from ..panels import INPUT_TAG, Role, label, numbered
from .base import Mode, Option, selected_image

IMAGE = Option("image", 0, 0, 1023, setting="session/image", flag="--image",
               help="--network, --model: the image of each batch whose channels are shown")


class NetworkMode(Mode):
    name = "network"
    flag = "--network"
    flag_help = "show the feature maps of a small CNN with each activation"
    one_image = True
    options = (
        Option("weights", "", setting="session/weights", flag="--weights",
               help="--network: a state dict file (default: seeded random weights)",
               needs_mode="--weights belongs to --network (the small CNN's weights)"),
        Option("network_seed", 0, 0, 2**31 - 1, setting="session/network_seed",
               flag="--network-seed", help="--network: the seed of the random weights"),
        IMAGE,
    )

    def network(self, engine, spec, request, device):
        """The small CNN with ``spec``: seeded random weights, or ``request.weights``."""
        from ..network import build_network, load_weights, read_state

        def read(path, limit):  # one file read once for every activation that loads it
            stat = path.stat()
            return engine.cached(("weights file", str(path), stat.st_mtime_ns, stat.st_size,
                                  limit), lambda: read_state(path, limit))

        def build():
            net = build_network(spec, request.image_size, request.network_seed)
            if request.weights:
                load_weights(net, request.weights, spec, read)
            return net.to(device)

        key = ("network", spec, request.weights, request.image_size, request.network_seed,
               str(device))
        return engine.cached(key, build)

    def panels(self, engine, x, request, device) -> list:
        """conv1 and conv2 before and after the activation, for each spec: the channels of
        the selected image, signed values shown signed."""
        from ..network import LAYER_PLACES, feature_maps

        i = selected_image(request, x.shape[0])
        display = "signed" if request.display == "clip" else request.display
        specs = request.activations
        names = [str(s) for s in specs]
        panels = []
        for spec, name, n in zip(specs, names, numbered(names)):
            net = self.network(engine, spec, request.with_(image_size=x.shape[-1]), device)
            before = INPUT_TAG
            for key, values in feature_maps(net, x[i:i + 1]).items():
                layer, after = LAYER_PLACES[key]
                role = Role.AFTER if after else Role.BEFORE
                panels.append(engine.channel_panel(
                    values[0], request, display, role, name=name, layer=layer, number=n,
                    source=before, spec=spec if after else None))
                before = label(Role.BEFORE, name, layer, n)[0] if not after else INPUT_TAG
        return panels

    def export_rows(self, request) -> list[tuple[str, str]]:
        weights = request.weights or f"seeded random (seed {request.network_seed})"
        return [("view", "inside the small CNN (conv 3→16, act, avgpool, conv 16→32, act)"),
                ("weights", weights), ("image", f"{request.image} of each batch")]

    def run_name(self, request) -> str:
        weights = "trained" if request.weights else f"seed{request.network_seed}"
        return f"network-{weights}-image{request.image}-{super().run_name(request)}"


MODE = NetworkMode()
