"""Runs moto's server so that it dies with the process that started it.

Usage: python launcher.py PARENT_PID moto_server-args...

Linux delivers SIGTERM to this process when the thread that spawned it exits (prctl
PR_SET_PDEATHSIG); a watch thread also exits when the parent pid is gone or the process was
re-parented, which covers non-Linux kernels and a parent that died before prctl ran.
"""
import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def set_parent_death_signal() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the watch thread below still applies


def parent_alive(parent_pid: int) -> bool:
    if os.getppid() != parent_pid:
        return False
    try:
        os.kill(parent_pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def watch_parent(parent_pid: int) -> None:
    while parent_alive(parent_pid):
        time.sleep(1)
    os._exit(0)


def main() -> None:
    parent_pid = int(sys.argv[1])
    set_parent_death_signal()
    if not parent_alive(parent_pid):
        sys.exit(0)
    threading.Thread(target=watch_parent, args=(parent_pid,), daemon=True).start()
    from moto.server import main as moto_main

    moto_main(sys.argv[2:])


if __name__ == "__main__":
    main()
