"""The window's session lifecycle, without Qt: what each edit implies, what a failed step
brings back, and what the settings remember.

:class:`WindowModel` holds the session the side panel shows (the next step's), the session
whose batch is on screen, and what is known of the current images (their batch count, the
batches visited). The window asks it what a user action or an answer of the engine means,
then shows the session and asks the engine for the step it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..engine.data.datasets import available_splits, dataset_info, offline_stand_in
from ..engine.errors import (
    ActlensError,
    BatchIndexError,
    DatasetMissingError,
    DeviceError,
    UnverifiedDataError,
)
from ..engine.session import SOURCE_FIELDS, Session
from .recent import RecentList

TRUSTED_KEY = "data/trusted"  # "<data set> <folder>" a line: data loaded although unverified

# What the window does about a failed step (:attr:`Failure.kind`).
DEVICE = "device"  # say why, and offer the CPU
MISSING = "missing"  # ask for the data set's folder (or a download)
LAST_BATCH = "last_batch"  # show the split's last batch instead
ERROR = "error"  # say why; the session whose batch shows comes back


@dataclass(frozen=True)
class Revert:
    """The session came back to ``session``; with ``step``, nothing showed yet: the window
    asks for that session's batch, under the message that says what failed."""

    session: Session
    step: bool


@dataclass(frozen=True)
class Failure:
    """What a failed step means. ``stand_in`` (:data:`MISSING`): the data set now shown
    offline instead of the missing one ("" if none), a new session to show and step;
    ``split`` (:data:`MISSING`): the split of the same copy now shown instead of the missing
    one ("" if none), likewise;
    ``batch`` (:data:`LAST_BATCH`): the batch to go to; ``revert`` (:data:`ERROR`): what came
    back, None if nothing changed; ``unverified``: for data whose checksums differ, the
    session that failed with its data accepted as plain data (the user may choose it)."""

    kind: str
    stand_in: str = ""
    split: str = ""
    batch: int = 0
    revert: Revert | None = None
    unverified: Session | None = None


class WindowModel:
    """The session and its lifecycle. ``start`` is the session the window starts with."""

    def __init__(self, start: Session):
        self.session = start  # what the side panel shows and the next step asks for
        self.start_session = start
        self.fell_back_from = ""  # the data set asked for while its offline stand-in shows
        self.num_batches = 0  # of the current images; 0 until a step says
        # The batches the user landed on among the images on screen (see :meth:`shown`)
        self.visited: set[int] = set()
        self._visited_source: tuple | None = None  # the images those batches are of
        self._passing = False  # the next step asked for is a batch passed over
        self._asked_passing = False  # the newest step asked for is one
        self._submitted: Session | None = None  # the session of the newest step asked for
        self._shown: Session | None = None  # the session whose batch is on screen
        self._first_image: int | None = None  # the index of the first image on screen
        self._keep_error = False  # the next batch shown keeps the error message
        self._fallbacks_tried = 0  # of the starting session's: its data in the plain view, then the defaults
        self.trusted: RecentList | None = None  # the data the user chose to load unverified

    @classmethod
    def starting(cls, settings, options=None) -> WindowModel:
        """The remembered session, with the command line's ``options`` (None: none given);
        data the user chose to load unverified before is loaded so again."""
        remembered = Session.from_settings(settings)
        model = cls(remembered.with_args(options) if options else remembered)
        model.trusted = RecentList(settings, TRUSTED_KEY)
        if model._trust_entry(model.session) in model.trusted.entries():
            model.session = model.start_session = model.session.with_(allow_unverified=True)
        return model

    @property
    def shown_session(self) -> Session | None:
        """The session whose batch is on screen; None before the first batch."""
        return self._shown

    def root_text(self, session: Session | None = None) -> str:
        """The folder of ``session``'s data set (the current one's) as the side panel says
        it."""
        from ..engine import objects
        from ..engine.pipeline import data_root_or_default

        root = (session or self.session).data_root
        if objects.is_key(root):
            return objects.describe(root)
        try:
            return str(data_root_or_default(root))
        except ActlensError:  # e.g. ~nobody/data: the step that follows says what is wrong
            return root

    # --- what the user changes -----------------------------------------------------------

    def edit(self, changes: dict) -> Session:
        """Apply the user's ``changes`` (``specs``: (spec, enabled) pairs) and return the new
        session, whose step the window asks for. Another source of images starts at batch 0;
        another batch size keeps the first image on screen in view; either way the batch
        count is unknown again until the next step."""
        changes = dict(changes)
        if "dataset" in changes:
            self.fell_back_from = ""
        session = self.session
        if "specs" in changes:
            session = session.with_specs(changes.pop("specs"))
        if "batch_size" in changes and self._first_image is not None:
            changes["batch_index"] = self._first_image // changes["batch_size"]
        new_source = any(k in changes for k in SOURCE_FIELDS)
        if new_source:
            changes["batch_index"] = 0
        if new_source or "batch_size" in changes:
            self.num_batches = 0
        self.session = session.with_(**changes)
        return self.session

    def use_root(self, root: str, dataset: str | None = None) -> Session:
        """``root`` as the folder of ``dataset`` (the one that was missing; None: the current
        one), from its first batch."""
        self.session = self.session.with_(dataset=dataset or self.session.dataset,
                                          batch_index=0).with_data_root(root)
        self.num_batches = 0
        return self.session

    def go_to(self, index: int, passing: bool = False) -> int | None:
        """Batch ``index``, kept within the split once its size is known; None when that
        batch is already the one asked for. ``passing``: the user passes over it on the way
        to another (the batch slider is held), so it is not counted as visited; the batch
        the slider is let go on is asked for again without it, and counts."""
        top = self.num_batches - 1 if self.num_batches else index
        index = max(0, min(index, top))
        last = self._submitted
        if index == self.session.batch_index and last is not None and \
                last.batch_index == index:
            if not passing:  # landed on the batch asked for: it counts once it shows
                self._asked_passing = False
                if self._shown is last and self._visited_source is not None:
                    self.visited.add(index)
            return None
        self._passing = passing
        self.session = self.session.with_(batch_index=index)
        return index

    def use_devices(self, device_ids: list[str]) -> str:
        """The engine is ready with ``device_ids``: use the device the session names, or the
        CPU when it is not among them; returns the name asked for in that case, else ""."""
        from ..engine.devices import pick_device

        wanted = self.session.device
        picked = pick_device(wanted, device_ids)
        self.session = self.session.with_(device=picked or "cpu")
        self._keep_error = self._keep_error or picked is None  # the message outlives the step
        return "" if picked is not None else wanted

    # --- what the engine answers ---------------------------------------------------------

    def request(self, **extra):
        """The engine's request for the current session (``extra``: other fields), remembered
        as the newest step asked for."""
        self._submitted = self.session
        self._asked_passing, self._passing = self._passing, False
        return self.session.request(**extra)

    def shown(self, result) -> bool:
        """The newest step's ``result`` is on screen; True if the error message shown stays
        (it says why the session that was asked for is not the one shown)."""
        self._shown = self._submitted
        keep, self._keep_error = self._keep_error, False
        self.num_batches = result.num_batches
        self._visit(result.request)
        self._first_image = result.batch.start
        return keep

    def _visit(self, request) -> None:
        """The rule of :attr:`visited`: each batch shown counts, but for those passed over
        with the slider held; other images (another data set, split, folder, image size,
        shuffle or batch size) start the list again from the batch they show."""
        source = (request.source_key(), request.batch_size)
        if source != self._visited_source:
            self.visited, self._visited_source = set(), source
        if not self._asked_passing:
            self.visited.add(request.batch_index)

    def first_looks(self) -> list:
        """The requests whose images the window may show before torch has loaded, in order:
        the starting session's, then its offline stand-in's (what a missing data set on the
        first launch is replaced by, see :meth:`step_failed`)."""
        looks = [self.session.request()]
        stand_in = offline_stand_in()
        if stand_in and stand_in != self.session.dataset:
            looks.append(self.session.with_(dataset=stand_in).request())
        return looks

    def step_failed(self, request, exc) -> Failure:
        """What the newest step's failure ``exc`` means. A data set missing on the first
        launch shows the split its folder holds instead (a copy of the train split only), else
        its offline stand-in meanwhile; a batch beyond the split shows the last
        one (once: if that fails too, the error shows); any other failure brings back the
        session whose batch shows."""
        if isinstance(exc, DeviceError):
            return Failure(DEVICE)
        if isinstance(exc, DatasetMissingError):
            split = self._split_there(request, exc)
            if split:
                self.edit({"split": split})
                self._keep_error = True  # the message says which split is missing
                return Failure(MISSING, split=split)
            stand_in = offline_stand_in() if self._shown is None else ""
            if stand_in:
                self.edit({"dataset": stand_in})
                self.fell_back_from = request.dataset
            return Failure(MISSING, stand_in=stand_in)
        if isinstance(exc, BatchIndexError) and 0 < exc.num_batches <= request.batch_index:
            self.num_batches = exc.num_batches
            return Failure(LAST_BATCH, batch=exc.num_batches - 1)
        refused = self._submitted or self.session
        if isinstance(exc, UnverifiedDataError) and not refused.allow_unverified:
            # Data whose sums differ: the user may load it. Before anything showed, the
            # session stays as asked (its fallbacks would fail on the same data), edits
            # made meanwhile included; otherwise the session on screen comes back.
            revert = None if self._shown is None else self.revert()
            return Failure(ERROR, revert=revert, unverified=refused.with_(allow_unverified=True))
        return Failure(ERROR, revert=self.revert())

    def _split_there(self, request, exc: DatasetMissingError) -> str:
        """Before anything showed, the split the folder holds when the one asked for is
        missing from it ("" if none, or once something showed: the user chose that split)."""
        if self._shown is not None or exc.split != request.split or \
                request.dataset != self.session.dataset:
            return ""
        there = available_splits(request.dataset, exc.root or request.data_root)
        return next((s for s in there if s != request.split), "")

    def trust(self, session: Session) -> None:
        """The user accepts ``session``'s unverified data: before anything showed it is the
        starting session too, so a failure that follows falls back on trusted data and
        never asks again. The settings remember the trust for its data set's folder."""
        if self._shown is None:
            self.start_session = session
            self._fallbacks_tried = 0
        self.session = session
        if self.trusted is not None:
            self.trusted.add(self._trust_entry(session))

    def _trust_entry(self, session: Session) -> str:
        """How the settings name the data a user trusted: its data set and folder."""
        return f"{session.dataset} {self.root_text(session)}"

    def revert(self) -> Revert | None:
        """Undo a change that failed: the session whose batch shows comes back. Before the
        first batch, the starting session comes back; if that is what fails (a remembered
        weights file or folder since deleted), the default session does, once, with the same
        data folders. None when the session stays as it is."""
        back = self._shown or self.start_session
        step = self._shown is None
        if step and (back == self.session or self._fallbacks_tried):
            back, step = self._fallback()
        if back == self.session:
            self._keep_error = False  # the next batch that shows clears this error
            return None
        self.session = back
        if step:
            self._keep_error = True
        return Revert(back, step)

    def _fallback(self) -> tuple[Session, bool]:
        """What the starting session gives way to when it fails, and whether to step it:
        first its own data in the plain view (a failing module or weights file is not run
        again; data handed over from Python stays), then the default session with the same
        data folders; once both have failed, the starting session, shown but not run again."""
        start = self.start_session
        plain = replace(start, mode=Session().mode, options=())  # no view's own choices
        defaults = Session(data_roots=start.data_roots,  # what the launch allowed stays
                           allow_unverified=start.allow_unverified)
        stages = [s for s in (plain, defaults) if s != start]
        if len(stages) == 2 and plain.request() == defaults.request():
            stages = [defaults]  # the same step twice
        if self._fallbacks_tried >= len(stages):
            return start, False
        self._fallbacks_tried += 1
        return stages[self._fallbacks_tried - 1], True

    # --- what is remembered ----------------------------------------------------------------

    def remembered(self) -> Session:
        """The session the settings keep: the data set asked for, not its offline stand-in
        (so the next start asks for it again, from its first batch)."""
        session = self.session
        if self.fell_back_from and dataset_info(session.dataset).stands_in_for:
            session = session.with_(dataset=self.fell_back_from, batch_index=0)
        return session

    def save(self, store) -> None:
        """Write :meth:`remembered` to the settings ``store`` (module files, the permission to
        load unverified data are never written: see :meth:`Session.to_settings`; the data
        folders a user chose to load unverified are, by :meth:`trust`, under TRUSTED_KEY)."""
        self.remembered().to_settings(store)
