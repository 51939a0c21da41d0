"""The crawl's child process dies with its parent: a `kill -9` of `vnru run` leaves no crawler behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl import settings


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_child_is_killed_when_its_parent_is_killed():
    parent = subprocess.Popen(
        [sys.executable, "-c", "from crawlers.run import run_child; run_child(['sleep', '120'])"],
        cwd=settings.PROJECT_ROOT)
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    deadline = time.monotonic() + 20
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.05)
    [child] = map(int, children.read_text().split())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # a zombie until its new parent reaps it: then /proc/<pid>/stat says Z
        if Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break
    alive = Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z"
    if alive:
        os.kill(child, signal.SIGKILL)
    assert not alive
