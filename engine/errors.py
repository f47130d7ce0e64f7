"""User-facing errors: each carries one line a person can act on."""


class ActlensError(Exception):
    """A failure the user can cause and fix (bad data, bad spec, bad device, bad path).

    ``str(err)`` is a complete, one-line message; callers print it without a traceback.
    """


class DatasetMissingError(ActlensError):
    """The data root does not hold the requested data set (it may be downloaded)."""

    def __init__(self, message: str, *, dataset: str, root: str, downloadable: bool = True):
        super().__init__(message)
        self.dataset = dataset
        self.root = root
        self.downloadable = downloadable


class UnverifiedDataError(ActlensError):
    """A data file failed its integrity check; loading it needs an explicit opt-in."""


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
