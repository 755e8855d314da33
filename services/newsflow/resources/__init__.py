"""Runtime files shipped inside the package, read with `importlib.resources`.

`schemas/` (message contracts, index templates) and `deploy/` (pinned versions, Kibana objects)
live once, at the top of the repository; the package reaches them through links in this folder,
and a wheel carries copies of them, so an installed newsflow needs no checkout.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from newsflow.errors import ConfigError


def resource(*parts: str) -> Traversable:
    """A file of the package's resources, e.g. resource("schemas", "raw.schema.json")."""
    return resources.files(__name__).joinpath(*parts)


def read_bytes(*parts: str) -> bytes:
    try:
        return resource(*parts).read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"newsflow's resource {'/'.join(parts)} is missing ({exc.strerror}): reinstall newsflow"
        ) from exc


def read_text(*parts: str) -> str:
    return read_bytes(*parts).decode("utf-8")
