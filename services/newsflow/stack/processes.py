"""The server processes the stack owns: PID files, process groups, memory (with psutil)."""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psutil

from newsflow.errors import StackError
from newsflow.retry import wait_until


@dataclass(frozen=True)
class Server:
    """One server process: its PID file, log, and the marker in its command line that tells it
    from an unrelated process that reused its PID."""

    name: str
    pid_file: Path
    log_file: Path
    marker: str

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
            cmdline = psutil.Process(pid).cmdline()
        except (OSError, ValueError, psutil.Error):
            return None
        return pid if any(self.marker in part for part in cmdline) else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            content = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(content[-lines:])

    def spawn(
        self,
        cmd: list[str],
        cwd: Path,
        env: dict[str, str] | None = None,
        owner: tuple[int, int] | None = None,
    ) -> None:
        """Start the server in a session of its own, output appended to its log."""
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
                cwd=cwd,
                user=owner[0] if owner else None,
                group=owner[1] if owner else None,
                extra_groups=[] if owner else None,
            )
        # The PID of the process group leader: `stop` signals the whole group, which includes
        # the server JVM that Elasticsearch's launcher starts as its child.
        self.pid_file.write_text(str(proc.pid))

    def stop(self, timeout_s: float = 30.0) -> bool:
        """Stop the process group by its PID; True if something was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        for sig, wait_s in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            if wait_until(lambda: not group_alive(pid), wait_s, interval_s=0.2):
                break
        if group_alive(pid):
            raise StackError(f"{self.name} (process group {pid}) did not stop")
        self.pid_file.unlink(missing_ok=True)
        return True


def group_alive(pgid: int) -> bool:
    """True while a live (not zombie) process of the group remains."""
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == pgid and process.info["status"] != psutil.STATUS_ZOMBIE:
                return True
        except (ProcessLookupError, psutil.Error):
            continue
    return False


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MiB."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total / (1024 * 1024)
