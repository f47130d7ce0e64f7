"""Data sets: where images come from. Each data set is an opener behind
:class:`engine.data.datasets.ImageSource`; downloads, integrity checks and the plain-data
unpickler live here too. Nothing here computes on tensors."""
