"""Settings: one frozen pydantic-settings object per service, read from the environment.

Connection variables keep the names every Kafka/Elasticsearch user knows
(`KAFKA_BOOTSTRAP_SERVERS`, `ELASTICSEARCH_URL`); newsflow's own knobs use the `NEWSFLOW_` prefix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Where schemas/ and deploy/ are: the checkout, or NEWSFLOW_HOME in an installed image.
REPO_ROOT = Path(os.environ.get("NEWSFLOW_HOME") or Path(__file__).resolve().parents[2])


def _default_cache() -> Path:
    return Path(os.path.expanduser("~")) / ".cache" / "newsflow"


class _Settings(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True, extra="ignore", env_prefix="NEWSFLOW_", env_nested_delimiter="__"
    )


class Connections(_Settings):
    """Where Kafka and Elasticsearch are; without the two variables, the local stack's ports."""

    kafka_bootstrap_servers: str | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS")
    )
    elasticsearch_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ELASTICSEARCH_URL")
    )
    elasticsearch_username: str | None = Field(
        default=None, validation_alias=AliasChoices("ELASTICSEARCH_USERNAME")
    )
    elasticsearch_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ELASTICSEARCH_PASSWORD")
    )
    kafka_port: int = 9092
    elasticsearch_port: int = 9200

    @property
    def bootstrap_servers(self) -> str:
        return self.kafka_bootstrap_servers or f"127.0.0.1:{self.kafka_port}"

    @property
    def es_url(self) -> str:
        return (self.elasticsearch_url or f"http://127.0.0.1:{self.elasticsearch_port}").rstrip("/")

    @property
    def uses_external_servers(self) -> bool:
        return bool(self.kafka_bootstrap_servers or self.elasticsearch_url)


class StackSettings(Connections):
    """The local single-node Kafka and Elasticsearch that `newsflow stack` provisions."""

    cache: Path = Field(
        default_factory=_default_cache, validation_alias=AliasChoices("NEWSFLOW_CACHE")
    )
    stack_dir: Path = REPO_ROOT / ".stack"
    versions_file: Path = REPO_ROOT / "deploy" / "versions.env"
    kafka_controller_port: int = 9093
    elasticsearch_transport_port: int = 9300
    kafka_heap_mb: int = 512
    elasticsearch_heap_mb: int = 512
    start_timeout_s: float = 240.0
    # Elasticsearch refuses to run as root; when root, the stack runs it as this user.
    elasticsearch_user: str = "newsflow"
    java_home: Path | None = None


class Topics(BaseModel):
    model_config = ConfigDict(frozen=True)

    raw: str = "articles.raw"
    clean: str = "articles.clean"
    enriched: str = "articles.enriched"
    dlq: str = "articles.dlq"


class PipelineSettings(Connections):
    """What every stage shares: servers, topics, limits."""

    topics: Topics = Topics()
    # Consumer groups are "<prefix>-<stage>": one group per stage, so each stage sees every message.
    group_prefix: str = "newsflow"
    # Larger raw messages are dead-lettered unread; dead letters carry at most this much payload.
    max_message_bytes: int = 8 * 1024 * 1024
    dead_letter_payload_bytes: int = 64 * 1024
    batch_size: int = 64
    batch_timeout_s: float = 0.5
    retry_initial_s: float = 0.5
    retry_max_s: float = 30.0
    log_level: str = "info"
    metrics_port: int | None = None
    # Loopback by default; a container sets 0.0.0.0 so Prometheus can scrape it on its network.
    metrics_host: str = "127.0.0.1"
    # Scratch space of the stream processors (faust's data directory). They keep no state that
    # must survive a restart: offsets live in Kafka, documents in Elasticsearch.
    state_dir: Path = Path(tempfile.gettempdir()) / "newsflow"

    def group_id(self, stage: str) -> str:
        return f"{self.group_prefix}-{stage}"


class CollectorSettings(PipelineSettings):
    pass


class CleanerSettings(PipelineSettings):
    min_words: int = 20


class EnricherSettings(PipelineSettings):
    # Language -> spaCy pipeline. English (or any language) is added by configuration, e.g.
    # NEWSFLOW_SPACY_MODELS='{"fr": "fr_core_news_md", "en": "en_core_web_sm"}' once installed.
    spacy_models: dict[str, str] = {"fr": "fr_core_news_md"}
    # Languages the detector chooses among (those with a model are always included).
    languages: list[str] = ["fr", "en", "de", "es", "it", "pt", "nl"]
    min_language_confidence: float = 0.2
    batch_size: int = 32


class IndexerSettings(PipelineSettings):
    index_alias: str = "articles"
    index_version: int = 1
    dead_letter_index: str = "articles-dlq"
    index_dead_letters: bool = True
    batch_size: int = 500
    batch_timeout_s: float = 1.0

    @property
    def index_name(self) -> str:
        return f"{self.index_alias}-v{self.index_version}"


class SetupSettings(IndexerSettings):
    partitions: int = 3
    replication_factor: int = 1
    retention_ms: int = 7 * 24 * 3600 * 1000
    dlq_retention_ms: int = 30 * 24 * 3600 * 1000
    # articles.raw takes pages up to this size (the stages dead-letter what is over their limit).
    raw_max_message_bytes: int = 32 * 1024 * 1024
    # Kibana (docker-compose): the saved objects are imported when KIBANA_URL is set, and the
    # built-in kibana_system user gets its password when KIBANA_SYSTEM_PASSWORD is set.
    kibana_url: str | None = Field(default=None, validation_alias=AliasChoices("KIBANA_URL"))
    kibana_system_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("KIBANA_SYSTEM_PASSWORD")
    )
    kibana_saved_objects: Path = REPO_ROOT / "deploy" / "kibana" / "newsflow.ndjson"
    # How long setup waits for Kafka, Elasticsearch and Kibana to answer (containers start
    # together; setup is what waits).
    wait_s: float = 300.0
