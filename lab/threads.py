"""The lab's background threads (logcat, the console reader, the lease heartbeat, the
watchdog...) never take the process's Ctrl-C. Linux hands a signal sent to a process to
any of its threads that does not block it; Python runs the handler in the main thread
only once that thread next runs Python code, so a Ctrl-C that lands on another thread
does not wake a main thread blocked in a sleep or a read. Blocked in every other thread,
SIGINT and SIGTERM reach the main thread and interrupt what it is waiting on."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

_KEPT_FOR_THE_MAIN_THREAD = {signal.SIGINT, signal.SIGTERM}


def background(target: Callable[..., Any], *, name: str, args: tuple = ()) -> threading.Thread:
    """A daemon thread running `target(*args)` with SIGINT and SIGTERM blocked (not
    started: the caller starts it)."""

    def run() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, _KEPT_FOR_THE_MAIN_THREAD)
        target(*args)

    return threading.Thread(target=run, name=name, daemon=True)


def native_threads_without_signals() -> None:
    """Start the native threads of numpy (OpenBLAS) and OpenCV (its parallel_for pool)
    with SIGINT and SIGTERM blocked, so they inherit the mask. They are not Python's, so
    `background` cannot reach them (numpy starts one at import, OpenCV one at import and
    one at its first parallel operation, on this 2-core machine). The pytest plugin calls
    this as it loads, before its parts import them."""
    kept = signal.pthread_sigmask(signal.SIG_BLOCK, _KEPT_FOR_THE_MAIN_THREAD)
    try:
        import cv2
        import numpy as np

        image = np.zeros((256, 256, 3), np.uint8)  # a parallel_for starts OpenCV's pool
        cv2.GaussianBlur(image, (5, 5), 0)
        cv2.imdecode(cv2.imencode(".png", image)[1], cv2.IMREAD_COLOR)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, kept)
