"""Run a command so that it, and everything it starts, dies with the process that started it.

`python3 guard.py PARENT COMMAND…`, started as the leader of its own process group (Popen with
`start_new_session=True`): runs COMMAND in that group and waits for it, passing its exit code on;
once PARENT is gone (whatever killed it, kill -9 included), it kills the whole group, itself
included. Killing this process's group (as a timeout does) kills COMMAND with it.

Standalone on purpose (the standard library only): any python3 can run it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

SECONDS_BETWEEN_LOOKS = 0.05


def main(parent: str, *command: str) -> int:
    child = subprocess.Popen(command)
    while True:
        code = child.poll()
        if code is not None:
            return code if code >= 0 else 128 - code
        if os.getppid() != int(parent):
            os.killpg(os.getpgid(0), signal.SIGKILL)
        time.sleep(SECONDS_BETWEEN_LOOKS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
