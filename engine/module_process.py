"""A module file's code in a process of its own.

Opening a module file runs the learner's code, which is far more often buggy than hostile: a
``forward`` that never returns, an ``os._exit`` or a segfault, a thread that never ends, or a
line that reassigns ``torch.sigmoid``. So the file is loaded and run in a child process,
started when the module is first stepped and reused for every step, and the built-in views
never run there. Like a notebook's kernel, a child that does not answer within the time limit
is stopped, one that dies is reported with its exit code or signal, and the window goes on.

The child is a fresh interpreter (never a fork of a process that has started torch's
threads) on the parent's ``sys.path``, in a session of its own so that Ctrl-C in a terminal
reaches only the parent, and it ends when the parent does. Its prints go to a log file
(:attr:`ModuleProcess.log_path`). Batches go in and outputs come back through shared memory
(one block each way, reused while it fits): one copy each way, into and out of the block.

Protocol (pickled tuples over a socket pair): the child says ``("ready", None)`` once torch is
imported; then ``("load", model, device)`` → ``("loaded", None)`` or an error, and ``("run", seq,
block, shape, dtype, name)`` → ``("done", seq, block, [(name, layer, shape, dtype, offset)])``
or ``("error", seq, template, args, text)`` (a load's replies carry ``None`` for ``seq``).
"""

from __future__ import annotations

import io
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory

import numpy as np

from .errors import ActlensError, quote_user
from .text import Text

DEFAULT_TIME_LIMIT_S = 10
START_LIMIT_S = 120.0  # a fresh interpreter importing torch, on a busy machine
POLL_S = 0.05
LOG_TAIL_BYTES = 64_000
LOG_CAP_BYTES = 8 * 2**20  # what a module may print in all; the rest is dropped, once said
_blocks = itertools.count()
_live: set = set()  # not yet closed: closed at exit, whatever else happens


class Superseded(Exception):
    """The step was given up because a newer one was asked for (its answer is dropped)."""


class ModuleProcess:
    """One module file (``FILE.py[:CLASS]``) loaded in a child process on ``device``.

    :meth:`run` may be called from one thread at a time; :meth:`stop`, :meth:`restart`,
    :meth:`close` and :meth:`log_text` from any thread.
    """

    def __init__(self, model: str, device: str, name: str = "") -> None:
        self.model, self.device, self.name = model, device, name or model
        self.key = None  # what the caller built it for (engine/modes/module.py)
        fd, self.log_path = tempfile.mkstemp(prefix="actlens-module-", suffix=".log")
        os.close(fd)
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._ready = self._loaded = self._load_sent = False
        self._stopped_because: str = ""  # why it was stopped; "" while it may run
        self._seq = itertools.count(1)
        self._stale: dict[int, None] = {}  # steps given up while the child computes them
        self._generation = self._running_generation = 0  # one more each time it is killed
        self._input: SharedMemory | None = None
        self._outputs: SharedMemory | None = None  # the child's output block, opened here
        _live.add(self)
        _remove_orphaned_blocks()

    # --- any thread ----------------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        return bool(self._stopped_because)

    def stop(self, because: str = "") -> None:
        """Kill the child; later steps are refused until :meth:`restart`."""
        self._stopped_because = because or str(Text(
            "{name}: the module was stopped; Restart module runs it again",
            name=quote_user(self.name, 200)))
        self._kill()

    def restart(self) -> None:
        """Kill the child if it runs; the next step starts a fresh one."""
        self._kill()
        self._stopped_because = ""

    def start(self) -> None:
        """Start the child now (it imports torch while the caller goes on)."""
        if not self._stopped_because:
            self._started()

    def close(self, keep_log: bool = False) -> None:
        """Kill the child and free what it held; the log file stays where ``keep_log`` and
        the module printed something."""
        self._stopped_because = self._stopped_because or "closed"
        self._kill()
        _live.discard(self)
        try:
            if not (keep_log and os.path.getsize(self.log_path)):
                os.unlink(self.log_path)
        except OSError:
            pass

    def running(self) -> bool:
        proc = self._proc
        return proc is not None and proc.poll() is None

    def log_text(self) -> str:
        """The end of what the module printed (its stdout and stderr)."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(0, os.path.getsize(self.log_path) - LOG_TAIL_BYTES))
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def _kill(self) -> None:
        with self._lock:
            self._generation += 1
            proc, conn, block, outputs = self._proc, self._conn, self._input, self._outputs
            self._proc = self._conn = self._input = self._outputs = None
            self._ready = self._loaded = self._load_sent = False
            self._stale.clear()
        if proc is not None:
            try:  # the child leads its own session: what it started goes with it
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            if proc.poll() is None:
                proc.kill()
        if proc is not None:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        if conn is not None:
            conn.close()
        if block is not None:
            _free(block)
        if outputs is not None:
            _close(outputs)
        if proc is not None:
            _remove_blocks(proc.pid)  # the child's, which it cannot remove once killed

    # --- the stepping thread ---------------------------------------------------------------

    def run(self, x, limit_s: float = DEFAULT_TIME_LIMIT_S, superseded=lambda: False):
        """``[(name, layer, tensor)]`` of the module on batch ``x`` (see
        :func:`engine.usermodule.run_module`), computed in the child. Raises ActlensError
        for the module's failures, a step past ``limit_s`` seconds, or a child that ended;
        :class:`Superseded` when ``superseded()`` turns true while it waits (the child goes
        on, and its answer is dropped when it comes)."""
        if self._stopped_because:
            raise ActlensError(self._stopped_because)
        conn = self._started()
        self._running_generation = self._generation
        if not self._ready:
            self._wait(conn, lambda r: r[0] == "ready", START_LIMIT_S, superseded,
                       Text("starting"))
            self._ready = True
        if not self._loaded:
            if not self._load_sent:
                self._send(conn, ("load", self.model, self.device))
                self._load_sent = time.monotonic()
            try:
                self._wait(conn, lambda r: r[0] in ("loaded", "error") and r[1] is None,
                           limit_s, superseded, Text("loading"), started=self._load_sent)
            except ActlensError:
                self._load_sent = False  # answered (or stopped): the next step loads again
                raise
            self._load_sent, self._loaded = False, True
        seq = next(self._seq)
        block, shape, dtype = self._put(x)
        self._send(conn, ("run", seq, block, shape, dtype, self.name))
        try:
            reply = self._wait(conn, lambda r: r[1] == seq, limit_s, superseded, Text("forward"))
        except Superseded:
            self._stale[seq] = None  # its answer is dropped when it comes
            raise
        return self._take(reply, x)

    def _send(self, conn: Connection, message) -> None:
        try:
            conn.send(message)
        except OSError:  # it died between steps: say how
            if self._generation != self._running_generation:
                raise ActlensError(self._stopped_because or "the module was restarted") from None
            raise ActlensError(self._ended()) from None

    def _started(self) -> Connection:
        with self._lock:
            if self._conn is not None:
                return self._conn
            here, there = socket.socketpair()
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            env.pop("QT_QPA_PLATFORM", None)
            code = (f"import sys; sys.path[:] = {[p for p in sys.path if p]!r}; "
                    "from activation_lens.engine.module_process import child_main; "
                    f"child_main({there.fileno()}, {os.getpid()})")
            try:
                with open(self.log_path, "ab") as log:
                    self._proc = subprocess.Popen(
                        [sys.executable, "-c", code], stdin=subprocess.DEVNULL, stdout=log,
                        stderr=subprocess.STDOUT, pass_fds=(there.fileno(),), env=env,
                        start_new_session=True)
            except OSError as exc:
                here.close()
                raise ActlensError(f"the module's process could not start ({exc})") from None
            finally:
                there.close()
            self._conn = Connection(here.detach())
            self._ready = self._loaded = self._load_sent = False
            self._stale.clear()
            return self._conn

    def _wait(self, conn: Connection, wanted, limit_s: float, superseded, what: str,
              started: float | None = None):
        """The child's reply that ``wanted(reply)``, or the reason there is none, raised.
        The clock runs from ``started`` (when the request was sent; now by default),
        whatever the child still computes ahead of it."""
        started = time.monotonic() if started is None else started
        while True:
            try:
                reply = conn.recv() if conn.poll(POLL_S) else None
            except (EOFError, OSError):
                if self._generation != self._running_generation:  # stopped or restarted
                    raise ActlensError(self._stopped_because or Text(
                        "{name}: the module was restarted", name=quote_user(self.name, 200))
                    ) from None
                raise ActlensError(self._ended()) from None
            if reply is not None and reply[1] in self._stale:
                del self._stale[reply[1]]
                self._free_reply(reply)
            elif reply is not None and wanted(reply):
                if reply[0] == "error":
                    raise ActlensError(_text(*reply[2:]))
                return reply
            elif reply is not None:
                self._free_reply(reply)
            if self._stopped_because:
                raise ActlensError(self._stopped_because)
            if superseded():
                raise Superseded
            if self._proc is not None and self._proc.poll() is not None:
                raise ActlensError(self._ended())  # its own exit, whatever it left running
            if time.monotonic() - started > limit_s:
                self.stop(str(Text(
                    "{name}: {what} did not finish within the time limit ({limit} s), so its"
                    " process was stopped", name=quote_user(self.name, 200), what=what,
                    limit=f"{limit_s:g}")))
                raise ActlensError(self._stopped_because)

    def _ended(self) -> str:
        proc = self._proc
        code = None
        if proc is not None:
            try:
                code = proc.wait(5)
            except subprocess.TimeoutExpired:
                code = None
        if self._stopped_because:
            return self._stopped_because
        if code is not None and code < 0:
            try:
                how = Text("killed by signal {signal}", signal=signal.Signals(-code).name)
            except ValueError:
                how = Text("killed by signal {signal}", signal=-code)
        else:
            how = Text("exit code {code}", code=code)
        self.stop(str(Text("{name}: the module's process ended ({how})",
                           name=quote_user(self.name, 200), how=how)))
        return self._stopped_because

    def _put(self, x) -> tuple[str, tuple, str]:
        """``x`` (a CPU copy of it) into the shared input block."""
        import torch

        values = x.detach().to("cpu", torch.float32).contiguous().numpy()
        with self._lock:
            block = self._input
            if block is None or block.size < values.nbytes:
                if block is not None:
                    _free(block)
                block = self._input = _create(values.nbytes)
            np.ndarray(values.shape, values.dtype, buffer=block.buf)[...] = values
        return block.name, values.shape, values.dtype.str

    def _take(self, reply, x) -> list:
        import torch

        _, _, name, layout = reply
        if name is None:
            return []
        block = self._outputs if self._outputs is not None and self._outputs.name == name \
            else None
        if block is None:  # the child made a larger one: the old one is its to remove
            if self._outputs is not None:
                _close(self._outputs)
            block = self._outputs = _attach(name)
        out = []
        for tag, layer, shape, dtype, offset in layout:
            view = np.ndarray(shape, np.dtype(dtype), buffer=block.buf, offset=offset)
            out.append((tag, layer, torch.from_numpy(view.copy()).to(x.device)))
        return out

    @staticmethod
    def _free_reply(reply) -> None:
        """A reply not taken (a step given up): nothing to free, the child keeps its block."""


def _text(template, args, text) -> str:
    """An error's line as the child raised it, in the window's language where it can be."""
    if template is None:
        return text
    try:
        return Text(template, **args)
    except (KeyError, IndexError, ValueError):
        return text


def _block_name(pid: int) -> str:
    return f"actlens_{pid}_{next(_blocks)}"


def _create(size: int) -> SharedMemory:
    return _untracked(SharedMemory(create=True, size=max(size, 1),
                                   name=_block_name(os.getpid())))


def _attach(name: str) -> SharedMemory:
    return _untracked(SharedMemory(name=name))


def _untracked(block: SharedMemory) -> SharedMemory:
    """Blocks are freed by whoever reads them last, not by the process that made or opened
    them, so the standard library's resource tracker is kept out of it."""
    try:
        from multiprocessing import resource_tracker

        resource_tracker.unregister(block._name, "shared_memory")
    except Exception:  # the tracker is only a safety net
        pass
    return block


def _close(block: SharedMemory) -> None:
    try:
        block.close()
    except BufferError:  # a view of it is still alive: the memory goes when that does
        pass


def _free(block: SharedMemory) -> None:
    _close(block)
    try:
        from _posixshmem import shm_unlink

        shm_unlink(block._name)
    except (ImportError, FileNotFoundError, OSError):
        pass


def _remove_blocks(pid: int) -> None:
    """The blocks a dead child made and nobody read."""
    folder = "/dev/shm"
    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        if name.startswith(f"actlens_{pid}_"):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass


def _remove_orphaned_blocks() -> None:
    """Blocks left by processes that were killed before they could remove them."""
    folder = "/dev/shm"
    if not os.path.isdir(folder):
        return
    for name in os.listdir(folder):
        parts = name.split("_")
        if len(parts) == 3 and parts[0] == "actlens" and parts[1].isdigit():
            try:
                os.kill(int(parts[1]), 0)
            except ProcessLookupError:
                try:
                    os.unlink(os.path.join(folder, name))
                except OSError:
                    pass
            except OSError:
                pass


def close_all() -> None:
    """End every module process still open (at exit, and between tests)."""
    for proc in list(_live):  # a set: each ModuleProcess hashes by identity
        proc.close()


import atexit  # noqa: E402 - registered once the class exists

atexit.register(close_all)


# --- the child ---------------------------------------------------------------------------


def child_main(fd: int, parent: int) -> None:
    """The child's loop: load the module, then answer each step until the parent goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _end_with_parent(parent)
    _cap_prints(LOG_CAP_BYTES)
    conn = Connection(fd)
    import torch

    from .cpu import configure_torch

    configure_torch()
    conn.send(("ready", None))
    net, device = None, None
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            if message[0] == "load":
                from .usermodule import load_module, parse_model

                device = torch.device(message[2])
                net = load_module(parse_model(message[1])).to(device)
                conn.send(("loaded", None))
            elif message[0] == "run":
                while conn.poll(0):  # a newer step waits: this one's answer would be dropped
                    newer = conn.recv()
                    if newer[0] != "run":
                        break
                    conn.send(("skipped", message[1]))
                    message = newer
                conn.send(_step(net, device, *message[1:]))
        except BaseException as exc:  # the module's failures are answers, not the end
            seq = message[1] if message[0] == "run" else None
            conn.send(("error", seq, *_error_parts(exc)))


class _CappedText(io.TextIOBase):
    """``sys.stdout`` and ``sys.stderr`` of the child: the log file, up to a shared budget
    of bytes; past it, one line says so and the rest is dropped (a module that prints in a
    loop cannot fill the disk)."""

    budget = [0]  # bytes left, shared by both streams

    def __init__(self, stream):
        self.stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        data = text.encode("utf-8", "replace")
        left = self.budget[0]  # bytes that may still be written; -1 once the end was said
        if left >= 0 and data:
            if len(data) > left:
                data = data[:left] + (f"\n[actlens: the module printed more than"
                                      f" {LOG_CAP_BYTES // 2**20} MB; the rest is dropped]\n"
                                      ).encode()
                self.budget[0] = -1
            else:
                self.budget[0] = left - len(data)
            self.stream.buffer.write(data)
            self.stream.flush()
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def _cap_prints(limit: int) -> None:
    _CappedText.budget[0] = limit
    sys.stdout, sys.stderr = _CappedText(sys.__stdout__), _CappedText(sys.__stderr__)


_out_block: SharedMemory | None = None  # the child's outputs, read by the parent


def _step(net, device, seq, name, shape, dtype, label):
    import torch

    from .usermodule import run_module

    block = _attach(name)
    try:
        x = torch.from_numpy(np.ndarray(shape, np.dtype(dtype), buffer=block.buf).copy())
    finally:
        block.close()
    outputs = run_module(net, x.to(device), label)
    arrays = [(tag, layer, t.detach().to("cpu", torch.float32).contiguous().numpy())
              for tag, layer, t in outputs]
    if not arrays:
        return ("done", seq, None, [])
    total = sum(a.nbytes for _, _, a in arrays)
    global _out_block
    if _out_block is None or _out_block.size < total:  # one block, reused while it fits
        if _out_block is not None:
            _free(_out_block)  # the parent keeps its own view until it opens the new one
        _out_block = _create(total * 5 // 4)
    out = _out_block
    layout, offset = [], 0
    for tag, layer, a in arrays:
        np.ndarray(a.shape, a.dtype, buffer=out.buf, offset=offset)[...] = a
        layout.append((tag, layer, a.shape, a.dtype.str, offset))
        offset += a.nbytes
    return ("done", seq, out.name, layout)


def _error_parts(exc: BaseException) -> tuple:
    if isinstance(exc, ActlensError):
        message = exc.args[0] if exc.args else str(exc)
        template = getattr(message, "template", None)
        args = getattr(message, "args", {}) if template is not None else {}
        try:
            import pickle

            pickle.dumps(args)
        except Exception:
            template, args = None, {}
        return template, args, str(message)
    return None, {}, f"internal error in the module's process: {type(exc).__name__}: {exc}"


def _end_with_parent(parent: int) -> None:
    """End this process when the parent ends, even while the module's code runs."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch():
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="actlens-parent-watch", daemon=True).start()
