"""Developer tooling for newsflow: the demo, the benchmark and the quality evaluation.

Installed with the package for `newsflow demo`, `make bench` and `make eval`; the service images
don't carry it (deploy/Dockerfile copies only `services/newsflow`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_article() -> Path:
    """The real scraped page the project started from (tests/fixtures/sample_article.txt)."""
    return Path(str(resources.files(__name__).joinpath("data", "sample_article.txt")))
