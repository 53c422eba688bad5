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
