"""User-facing errors: each carries one line a person can act on."""


class ActlensError(Exception):
    """A failure the user can cause and fix (bad data, bad spec, bad device, bad path).

    ``str(err)`` is a complete, one-line message; callers print it without a traceback.
    """


class DatasetMissingError(ActlensError):
    """The data root does not hold the requested data set (it may be downloaded). ``split`` is
    the split that is missing when the copy there holds the data set without it."""

    def __init__(self, message: str, *, dataset: str, root: str, downloadable: bool = True,
                 split: str | None = None):
        super().__init__(message)
        self.dataset = dataset
        self.split = split
        self.root = root
        self.downloadable = downloadable


class UnverifiedDataError(ActlensError):
    """A data file failed its integrity check; loading it needs an explicit opt-in. ``file``:
    the file that failed, ``title``: its data set's name (for a window's own wording)."""

    def __init__(self, message: str, *, file: str = "", title: str = ""):
        super().__init__(message)
        self.file, self.title = file, title


class CancelledError(ActlensError):
    """The user cancelled a long operation (download, export)."""


class BatchIndexError(ActlensError):
    """The requested batch does not exist at this batch size."""

    def __init__(self, message: str, *, num_batches: int):
        super().__init__(message)
        self.num_batches = num_batches


class DeviceError(ActlensError):
    """The computation failed on an accelerator (out of memory, a driver fault...)."""

    def __init__(self, message: str, *, device: str):
        super().__init__(message)
        self.device = device


def quote_user(text: object, limit: int = 80) -> str:
    """``text`` as an error message may quote it: at most ``limit`` characters, shortened
    with "…(N characters)", one line (control characters shown escaped).

    Anything a user typed or a file held can be arbitrarily long; a message must stay one
    readable line. Non-strings are shown by ``str`` where that is cheap and safe.
    """
    if not isinstance(text, str):
        if isinstance(text, int) and not isinstance(text, bool) and text.bit_length() > 256:
            return f"a {text.bit_length()}-bit integer"
        try:
            text = str(text) if isinstance(text, (int, float, bytes, type(None))) \
                else f"a {type(text).__name__}"
        except (ValueError, OverflowError):  # e.g. an int too long for str()
            text = f"a {type(text).__name__}"
    total = len(text)
    cut = total > limit
    short = text[: limit - 1] if cut else text
    if not short.isprintable():
        short = short.encode("unicode_escape", "backslashreplace").decode("ascii")
        if len(short) > limit:
            short, cut = short[: limit - 1], True
    return f"{short}…({total} characters)" if cut else short
