"""A local single-node Kafka (KRaft) and Elasticsearch, provisioned from Maven Central.

This is how a developer without Docker gets the same servers the docker-compose deployment runs:
Kafka from its jars (`kafka.Kafka` on a classpath resolved by Maven) and Elasticsearch from its
integ-test zip, both at the versions pinned in `deploy/versions.env`, bound to 127.0.0.1.

Downloads are cached under `$NEWSFLOW_CACHE` (default `~/.cache/newsflow`); data, logs and PID
files live in the stack directory. The integ-test zip has no analysis-common (so no `french`
analyzer), no painless, no data streams and no ILM, and does not answer `GET /`: health is read
from `_cluster/health`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import os
import pwd
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from newsflow.errors import StackError
from newsflow.retry import wait_until
from newsflow.runtime.kafka import producer
from newsflow.settings import StackSettings
from newsflow.stack.java import (
    ELASTICSEARCH_JAVA_MODULES,
    ELASTICSEARCH_MIN_JAVA,
    KAFKA_MIN_JAVA,
    find_java,
)
from newsflow.stack.maven import Provisioner, load_versions, render
from newsflow.stack.processes import Server, rss_mb

HEALTH_TOPIC = "__newsflow_health"


def kafka_cluster_id(draw: Callable[[], bytes] = lambda: uuid.uuid4().bytes) -> str:
    """A KRaft cluster id: 16 random bytes in URL-safe base64, as `kafka-storage random-uuid`
    prints one.

    One draw in 64 begins with "-", which a command line reads as an option; Kafka's own
    `Uuid.randomUuid` draws again in that case, and so does this.
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(draw()).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


class LocalStack:
    def __init__(self, settings: StackSettings | None = None) -> None:
        self.settings = settings or StackSettings()
        self.versions = load_versions()
        self.provisioner = Provisioner(self.settings.cache, self.versions)
        s = self.settings
        self.cache = s.cache
        self.dir = s.stack_dir
        self.logs = self.dir / "logs"
        # Every process the stack starts names the stack directory on its command line, which
        # tells a live server of ours from an unrelated process that reused its PID.
        self.kafka = Server("kafka", self.dir / "kafka.pid", self.logs / "kafka.log", str(self.dir))
        self.elasticsearch = Server(
            "elasticsearch",
            self.dir / "elasticsearch.pid",
            self.logs / "elasticsearch.log",
            str(self.dir),
        )

    # ---- endpoints

    @property
    def bootstrap_servers(self) -> str:
        return self.settings.bootstrap_servers

    @property
    def elasticsearch_url(self) -> str:
        return self.settings.es_url

    @property
    def external(self) -> bool:
        """True when both servers are named by the environment: nothing to start."""
        return not self.managed_servers()

    def managed_servers(self) -> list[Server]:
        """The servers this stack runs: those the environment does not point elsewhere."""
        servers = []
        if not self.settings.kafka_bootstrap_servers:
            servers.append(self.kafka)
        if not self.settings.elasticsearch_url:
            servers.append(self.elasticsearch)
        return servers

    # ---- Kafka

    def _kafka_config(self) -> Path:
        s = self.settings
        data = self.dir / "kafka-data"
        config = self.dir / "kafka.properties"
        config.write_text(
            render(
                "kafka.properties",
                port=s.kafka_port,
                controller_port=s.kafka_controller_port,
                data=data,
            )
        )
        (self.dir / "kafka-log4j2.xml").write_text(
            render("kafka-log4j2.xml", log=self.logs / "kafka-server.log")
        )
        return config

    def _kafka_java(self, java_home: Path, main: str, *args: str, heap_mb: int) -> list[str]:
        libs = self.provisioner.kafka_libs()
        return [
            str(java_home / "bin" / "java"),
            f"-Xms{heap_mb}m",
            f"-Xmx{heap_mb}m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.dir / 'kafka-log4j2.xml'}",
            "-cp",
            f"{libs}/*",
            main,
            *args,
        ]

    def _start_kafka(self) -> None:
        if self.kafka.pid() is not None:
            return
        java_home = find_java(self.settings, KAFKA_MIN_JAVA)
        config = self._kafka_config()
        data = self.dir / "kafka-data"
        if not (data / "meta.properties").exists():
            cluster_id = kafka_cluster_id()
            fmt = subprocess.run(
                self._kafka_java(
                    java_home,
                    "kafka.tools.StorageTool",
                    "format",
                    f"--cluster-id={cluster_id}",
                    "-c",
                    str(config),
                    "--ignore-formatted",
                    heap_mb=256,
                ),
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
            if fmt.returncode != 0:
                raise StackError(f"formatting Kafka storage failed:\n{fmt.stdout}\n{fmt.stderr}")
        self.kafka.spawn(
            self._kafka_java(
                java_home, "kafka.Kafka", str(config), heap_mb=self.settings.kafka_heap_mb
            ),
            cwd=self.dir,
        )

    # ---- Elasticsearch

    def _elasticsearch_user(self) -> tuple[int, int] | None:
        """(uid, gid) to run Elasticsearch as, creating the user when running as root."""
        if os.geteuid() != 0:
            return None
        name = self.settings.elasticsearch_user
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(name)
        return entry.pw_uid, entry.pw_gid

    def _start_elasticsearch(self) -> None:
        if self.elasticsearch.pid() is not None:
            return
        s = self.settings
        java_home = find_java(s, ELASTICSEARCH_MIN_JAVA, ELASTICSEARCH_JAVA_MODULES)
        home = self.provisioner.elasticsearch_home(self.dir)
        conf = self.dir / "es-config"
        data, logs = self.dir / "es-data", self.dir / "es-logs"
        if conf.exists():
            shutil.rmtree(conf)
        shutil.copytree(home / "config", conf)
        (conf / "elasticsearch.yml").write_text(
            render(
                "elasticsearch.yml",
                data=data,
                logs=logs,
                port=s.elasticsearch_port,
                transport=s.elasticsearch_transport_port,
            )
        )
        for folder in (data, logs, self.dir / "es-tmp"):
            folder.mkdir(parents=True, exist_ok=True)
        owner = self._elasticsearch_user()
        if owner is not None:
            for folder in (conf, data, logs, self.dir / "es-tmp"):
                _chown_tree(folder, *owner)
            _make_traversable(self.dir)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "ES_JAVA_HOME": str(java_home),
            "ES_PATH_CONF": str(conf),
            "ES_TMPDIR": str(self.dir / "es-tmp"),
            "ES_JAVA_OPTS": f"-Xms{s.elasticsearch_heap_mb}m -Xmx{s.elasticsearch_heap_mb}m",
            "HOME": str(self.dir),
        }
        self.elasticsearch.spawn(
            [str(home / "bin" / "elasticsearch")], cwd=self.dir, env=env, owner=owner
        )

    # ---- health

    def elasticsearch_health(self, timeout_s: float = 5.0) -> str | None:
        """Cluster status ('green'/'yellow'/'red') or None when unreachable."""
        try:
            resp = httpx.get(
                f"{self.elasticsearch_url}/_cluster/health",
                timeout=timeout_s,
                auth=self.settings.es_auth,
            )
        except httpx.HTTPError:
            return None
        if resp.status_code != 200:
            return None
        status = resp.json().get("status")
        return str(status) if status else None

    def kafka_healthy(self, timeout_s: float = 15.0) -> bool:
        # While the broker boots, every poll would log connection errors: they say nothing new.
        logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
        try:
            return asyncio.run(
                asyncio.wait_for(kafka_round_trip(self.bootstrap_servers), timeout_s)
            )
        except (TimeoutError, OSError, KafkaError):
            return False

    def wait_healthy(self, timeout_s: float) -> None:
        ok = {self.kafka.name: False, self.elasticsearch.name: False}

        def healthy() -> bool:
            self._check_alive()
            ok[self.elasticsearch.name] = ok[self.elasticsearch.name] or (
                self.elasticsearch_health() in ("green", "yellow")
            )
            ok[self.kafka.name] = ok[self.kafka.name] or self.kafka_healthy()
            return all(ok.values())

        if wait_until(healthy, timeout_s, interval_s=1.0):
            return
        failed = [s for s in (self.kafka, self.elasticsearch) if not ok[s.name]]
        raise StackError(
            f"not healthy after {timeout_s:.0f}s: {', '.join(s.name for s in failed)}\n"
            + "\n".join(f"--- {s.name} log tail ({s.log_file}) ---\n{s.log_tail()}" for s in failed)
        )

    def _check_alive(self) -> None:
        for server in self.managed_servers():
            if server.pid() is None:
                raise StackError(
                    f"{server.name} exited during start-up\n"
                    f"--- {server.name} log tail ({server.log_file}) ---\n{server.log_tail()}"
                )

    # ---- public operations

    def up(self) -> None:
        """Idempotent: provision, start what is not running, wait for real health."""
        managed = self.managed_servers()
        self.logs.mkdir(parents=True, exist_ok=True)
        if self.kafka in managed:
            self._start_kafka()
        if self.elasticsearch in managed:
            self._start_elasticsearch()
        self.wait_healthy(self.settings.start_timeout_s)

    def restart_kafka(self) -> None:
        """Stop the broker (a controlled shutdown) and start it again, waiting for health."""
        self.kafka.stop()
        self.up()

    def down(self) -> list[str]:
        stopped = []
        for server in (self.kafka, self.elasticsearch):
            if server.stop():
                stopped.append(server.name)
        return stopped

    def status(self) -> dict[str, dict[str, object]]:
        es_status = self.elasticsearch_health()
        report: dict[str, dict[str, object]] = {
            "kafka": {
                "bootstrap_servers": self.bootstrap_servers,
                "healthy": self.kafka_healthy(),
                "version": self.versions.kafka,
            },
            "elasticsearch": {
                "url": self.elasticsearch_url,
                "status": es_status,
                "healthy": es_status in ("green", "yellow"),
                "version": self.versions.elasticsearch,
            },
        }
        managed = self.managed_servers()
        for name, server in (("kafka", self.kafka), ("elasticsearch", self.elasticsearch)):
            if server not in managed:
                report[name]["managed"] = False
                continue
            pid = server.pid()
            report[name]["managed"] = True
            report[name]["pid"] = pid
            if pid is not None:
                report[name]["rss_mb"] = round(rss_mb(pid), 1)
        return report


async def kafka_round_trip(bootstrap_servers: str) -> bool:
    """Metadata answered, and a record produced and consumed back through a consumer group."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000)
    await admin.start()
    try:
        if HEALTH_TOPIC not in await admin.list_topics():
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [NewTopic(HEALTH_TOPIC, num_partitions=1, replication_factor=1)]
                )
    finally:
        await admin.close()
    token = uuid.uuid4().hex.encode()
    health_producer = producer(bootstrap_servers)
    await health_producer.start()
    try:
        meta = await health_producer.send_and_wait(HEALTH_TOPIC, token)
    finally:
        await health_producer.stop()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        enable_auto_commit=False,
        group_id=None,  # assigned, not subscribed: the check leaves no consumer group behind
    )
    await consumer.start()
    try:
        tp = TopicPartition(HEALTH_TOPIC, meta.partition)
        consumer.assign([tp])
        consumer.seek(tp, meta.offset)
        record = await consumer.getone()
        return bool(record.value == token)
    finally:
        await consumer.stop()


def _chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)


def _make_traversable(path: Path) -> None:
    """Let the unprivileged Elasticsearch user reach the stack directory."""
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o001)
