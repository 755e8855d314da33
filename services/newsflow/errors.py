"""One exception tree for newsflow.

Every error says on its class whether trying again can help (`retriable`), so the shared stage
base decides between "pause and retry" and "dead-letter and move on" without guessing from text.

    NewsflowError
    ├── ConfigError            bad settings or missing files (not retriable)
    ├── StackError             the local Kafka/Elasticsearch could not be provisioned or started
    ├── SetupError             `newsflow setup` could not bring a server to the wanted state
    ├── ContractError          a message does not decode or violates its JSON Schema
    ├── RejectedArticle        the article decodes but cannot become a useful document
    ├── BackendUnavailable     Kafka or Elasticsearch unreachable, overloaded or 5xx (retriable)
    └── DocumentRejected       Elasticsearch refused one document (mapping, size, ...)
"""

from __future__ import annotations

from typing import ClassVar


class NewsflowError(Exception):
    """Base of every error newsflow raises on purpose."""

    retriable: ClassVar[bool] = False


class ConfigError(NewsflowError):
    """Settings or files the program needs are missing or inconsistent."""


class StackError(NewsflowError):
    """The local stack could not be provisioned, started, checked or stopped."""


class SetupError(NewsflowError):
    """Topics, templates, users or Kibana objects could not be set up as configured."""


class ContractError(NewsflowError):
    """A payload is not valid JSON or does not match its schema in `schemas/`."""


class RejectedArticle(NewsflowError):
    """The input is well-formed but yields no usable article (empty, too short, ...)."""


class BackendUnavailable(NewsflowError):
    """A server is unreachable or answered 429/5xx; the same call may succeed later."""

    retriable: ClassVar[bool] = True


class DocumentRejected(NewsflowError):
    """Elasticsearch refused a document for a reason that retrying cannot fix."""
