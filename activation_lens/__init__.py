"""Activation Lens: see what non-linear activations do to real images."""
