"""Provisioning from Maven Central: Kafka's runtime classpath and Elasticsearch's integ-test zip,
at the versions pinned in `deploy/versions.env`, cached under `$NEWSFLOW_CACHE`."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from dotenv import dotenv_values

from newsflow.errors import StackError
from newsflow.resources import read_text


@dataclass(frozen=True)
class Versions:
    kafka: str
    elasticsearch: str
    log4j: str


def load_versions() -> Versions:
    """The pinned versions, shared with deploy/docker-compose.yml (package data)."""
    return parse_versions(read_text("deploy", "versions.env"))


def parse_versions(text: str) -> Versions:
    values = dotenv_values(stream=io.StringIO(text))
    try:
        return Versions(
            kafka=str(values["KAFKA_VERSION"]),
            elasticsearch=str(values["ELASTICSEARCH_VERSION"]),
            log4j=str(values["LOG4J_VERSION"]),
        )
    except KeyError as exc:
        raise StackError(f"deploy/versions.env lacks {exc.args[0]}: reinstall newsflow") from exc


def render(name: str, **values: object) -> str:
    """One of the stack's configuration files (newsflow/stack/config/) with its values filled."""
    template = (Path(__file__).parent / "config" / name).read_text(encoding="utf-8")
    return Template(template).substitute({k: str(v) for k, v in values.items()})


class Provisioner:
    def __init__(self, cache: Path, versions: Versions) -> None:
        self.cache = cache
        self.versions = versions

    def _mvn(self, *args: str) -> None:
        mvn = shutil.which("mvn")
        if mvn is None:
            raise StackError(
                "Maven (`mvn`) is needed to fetch Kafka and Elasticsearch: install Maven, or point "
                "KAFKA_BOOTSTRAP_SERVERS and ELASTICSEARCH_URL at running servers"
            )
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
        (home / "pom.xml").write_text(render("kafka-pom.xml", kafka=v.kafka, log4j=v.log4j))
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

    def elasticsearch_home(self, stack_dir: Path) -> Path:
        """Unpacked inside the stack directory, which the unprivileged user can read."""
        v = self.versions.elasticsearch
        home = stack_dir / f"elasticsearch-{v}"
        if (home / ".complete").exists():
            return home
        if home.exists():
            shutil.rmtree(home)
        archive = self.elasticsearch_zip()
        staging = stack_dir / f".unpack-{v}"
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
