"""Worker processes that do not outlive the build that started them.

A build killed with SIGKILL cannot shut its process pools down, and a worker waiting for work
would wait for ever.  :func:`die_with_parent` is the pools' initializer: on Linux the kernel
sends the worker SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere, and as
a second guard, a daemon thread checks every half second whether the worker has been given to
another parent, and exits if so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """Make this process exit when the process that started it exits.

    ``parent`` is the pid of the process that made the pool (pass ``os.getpid()`` in the pool's
    ``initargs``): a parent killed between the fork and this call is then noticed too, since by
    then the worker has been given to another parent.
    """
    if parent is None:
        parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher thread below still works
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="kg-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")


def available_memory() -> int:
    """Bytes of memory available to new work (``MemAvailable`` of /proc/meminfo; elsewhere, the
    physical memory less what this process holds; 8 GiB when neither can be read)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return max(0, os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") - resident_memory())
    except (OSError, ValueError, AttributeError):
        return 8 << 30


def resident_memory() -> int:
    """Bytes of memory this process holds now (its peak where the current figure cannot be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


class Forked:
    """``work()`` run in a forked copy of this process, beside the caller; :meth:`join` gives what
    it returned (pickled back through a pipe) or raises what it raised.

    The copy sees the process's memory as it was at the fork, without copying it: what the work
    reads must not change meanwhile, and no other thread may be inside a structure the work reads
    when the process forks (start threads after this).  It shares the open files: what it appends
    to a file is there for the caller.  It dies with the caller (:func:`die_with_parent`) and
    leaves without running the caller's exit code.  Linux only (:data:`CAN_FORK`)."""

    def __init__(self, work, what: str) -> None:
        import pickle

        self.what = what
        read, write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the copy
            os.close(read)
            try:
                die_with_parent(parent)
                outcome = (True, work())
            except BaseException as err:  # noqa: BLE001 - raised again in the caller
                outcome = (False, err)
            try:
                try:
                    data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                    if not outcome[0]:
                        pickle.loads(data)  # some errors pickle but do not unpickle
                except Exception as err:  # noqa: BLE001 - an error or a result that does not pickle
                    data = pickle.dumps((False, RuntimeError(f"{what}: {_said(outcome[1])} (and {_said(err)})")))
                view = memoryview(data)
                while view:
                    view = view[os.write(write, view):]
            finally:
                os._exit(0)
        os.close(write)
        self.read = read

    def kill(self) -> None:
        """Stop the copy and wait for it (the caller is failing: what it did is not wanted);
        nothing once :meth:`join` was called."""
        if self.read is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.read)
        self.read = None
        os.waitpid(self.pid, 0)

    def join(self):
        """Wait for the copy: what the work returned, or its error raised here."""
        import pickle

        read, self.read = self.read, None
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if not data:
            raise RuntimeError(f"{self.what} stopped without a word ({_exit_status(status)})")
        done, value = pickle.loads(data)
        if not done:
            raise value
        return value


def _said(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}" if isinstance(err, BaseException) else repr(err)


def _exit_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
