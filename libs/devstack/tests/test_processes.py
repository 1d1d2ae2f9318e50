"""Child processes of the stack: they die with the process that started them, and only with it."""

import sys
import threading
import time
from pathlib import Path

from devstack.processes import ManagedProcess

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_process_started_by_a_thread_outlives_the_thread(tmp_path: Path) -> None:
    """Found by the reliability campaign: a service its fault thread had restarted got SIGTERM when that thread
    ended (Linux sends the parent-death signal when the forking thread ends), in the middle of the recovery."""
    started: list[ManagedProcess] = []
    thread = threading.Thread(
        target=lambda: started.append(ManagedProcess("sleeper", SLEEPER, log_path=tmp_path / "sleeper.log"))
    )
    thread.start()
    thread.join()
    try:
        time.sleep(1.0)  # the signal, if it comes, comes at once
        assert started[0].alive, f"the child ended with {started[0].popen.returncode}"
    finally:
        for process in started:
            process.kill()
