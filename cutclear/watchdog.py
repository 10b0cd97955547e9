"""Stopping a plugin call that does not return (`plugin-timeout`).

A rule that hangs (a registry that never answers, a loop that never ends) would hang the
commit or the conform with it, and a user who kills the run learns nothing of why. Each
plugin call is watched: one running longer than the timeout gets `PluginTimeout` raised
inside it, which cutclear reports as that plugin's failure (exit 2).

The calling thread only notes which call is running (two attribute writes per call,
cheap enough for per-clip rules); a daemon thread polls that note. On the main thread
the timeout is delivered by SIGALRM, which also interrupts a plugin blocked in a system
call such as sleep or a socket read; on other threads (an API user's worker) it is raised
asynchronously at the plugin's next Python instruction.
"""

from __future__ import annotations

import signal
import threading
import time
import weakref

DEFAULT_TIMEOUT = 60.0  # seconds per plugin call


class PluginTimeout(BaseException):
    """Raised inside a plugin call that ran past the timeout. A BaseException, so that a
    plugin's own `except Exception` cannot swallow it."""


_pending: set[int] = set()  # threads a watchdog has fired at, awaiting delivery


def _on_alarm(signum, frame) -> None:
    if threading.get_ident() in _pending:
        _pending.discard(threading.get_ident())
        raise PluginTimeout()


class Watchdog:
    """Watches the plugin calls of one run; `who` is the call running now (or None)."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout
        self.who: str | None = None
        self.seq = 0
        self.thread = 0
        self.started = False
        self.fired = 0  # timeouts delivered: a plugin that swallows one still failed

    def enter(self, who: str) -> str | None:
        """Note that `who` starts running; returns the call it runs inside (nested calls:
        a rule asking a consent plugin), to be restored by `leave`."""
        outer = self.who
        self.seq += 1
        self.who, self.thread = who, threading.get_ident()
        if not self.started:
            self.start()
        return outer

    def leave(self, outer: str | None) -> None:
        self.seq += 1
        self.who = outer

    def start(self) -> None:
        self.started = True
        if threading.current_thread() is threading.main_thread():
            try:
                if signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, _on_alarm):
                    signal.signal(signal.SIGALRM, _on_alarm)
            except (ValueError, OSError):
                pass
        threading.Thread(target=_watch, args=(weakref.ref(self),), daemon=True,
                         name="cutclear-plugin-watchdog").start()

    def _fire(self, thread: int) -> None:
        self.fired += 1
        if (thread == threading.main_thread().ident
                and signal.getsignal(signal.SIGALRM) is _on_alarm):
            _pending.add(thread)
            signal.pthread_kill(thread, signal.SIGALRM)  # wakes a blocking system call
        else:
            import ctypes  # only to stop a plugin on another thread: not at every start-up

            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                                       ctypes.py_object(PluginTimeout))


def _watch(ref: weakref.ref) -> None:
    """Poll the note of the running call; fire when one call has run past the timeout
    (and again each timeout after, should the plugin swallow the first)."""
    seen, since = None, 0.0
    while (w := ref()) is not None:
        state, now = (w.seq, w.who), time.monotonic()
        if state[1] is None:
            seen = None
        elif state != seen:
            seen, since = state, now
        elif now - since >= w.timeout:
            w._fire(w.thread)
            since = now
        tick = min(max(w.timeout / 20, 0.005), 0.5)
        del w  # the run may end while we sleep
        time.sleep(tick)
