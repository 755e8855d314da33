"""Real validators for the deployment files, fetched from registries and cached under ~/.cache.

`docker compose` is built from its Go module (the Go module proxy serves it; no Docker engine is
needed for `config`), once per version, into $NEWSFLOW_CACHE/tools.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from newsflow.settings import StackSettings

COMPOSE_MODULE = "github.com/docker/compose/v2"
COMPOSE_VERSION = "v2.40.3"


def compose_binary() -> Path:
    tools = StackSettings().cache / "tools"
    binary = tools / f"docker-compose-{COMPOSE_VERSION}"
    if binary.exists():
        return binary
    go = shutil.which("go")
    assert go, "Go is needed to build docker compose from its module"
    env = {
        **os.environ,
        "GOMODCACHE": str(StackSettings().cache / "go" / "mod"),
        "GOFLAGS": "-mod=mod",
    }
    info = subprocess.run(
        [go, "mod", "download", "-json", f"{COMPOSE_MODULE}@{COMPOSE_VERSION}"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    source = Path(json.loads(info.stdout)["Dir"])
    tools.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        tree = Path(work) / "compose"
        shutil.copytree(source, tree)
        for path in [tree, *tree.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
        subprocess.run(
            [
                go,
                "build",
                "-trimpath",
                "-ldflags",
                f"-X {COMPOSE_MODULE}/internal.Version={COMPOSE_VERSION}",
                "-o",
                str(binary) + ".tmp",
                "./cmd",
            ],
            cwd=tree,
            env=env,
            check=True,
            timeout=1500,
        )
    Path(str(binary) + ".tmp").rename(binary)
    return binary
