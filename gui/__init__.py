"""Activation Lens desktop window (PySide6). Shows what the engine computes; computes nothing."""
