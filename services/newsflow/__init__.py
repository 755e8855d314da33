"""newsflow: scraped news through Kafka into an entity-rich Elasticsearch index.

The library side (no Kafka or Elasticsearch needed): `clean_article(raw)` cleans one article,
`Pipeline().process(raws)` returns the documents the indexer would write. See `newsflow.api`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Failure", "Pipeline", "__version__", "clean_article"]

if TYPE_CHECKING:
    from newsflow.api import Failure, Pipeline, clean_article


def __getattr__(name: str) -> Any:
    # Loaded on first use: `import newsflow` stays cheap for the stages that need none of it.
    if name in ("Pipeline", "clean_article", "Failure"):
        from newsflow import api

        return getattr(api, name)
    raise AttributeError(f"module 'newsflow' has no attribute {name!r}")
