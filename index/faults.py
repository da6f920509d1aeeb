"""Fault injection for the reliability tests: die at a named step of a write.

`point("remove:index")` does nothing unless STATEMENTS_FAULT names that step;
then the process kills itself with SIGKILL there, as a power cut or `kill -9`
would, so a test can show that every step of a write is safe to die at.
"""

from __future__ import annotations

import os
import signal

ENV_FAULT = "STATEMENTS_FAULT"


def point(name: str) -> None:
    if os.environ.get(ENV_FAULT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
