"""newsflow installed from its wheel, away from the checkout: the wheel is built from exactly what
deploy/Dockerfile copies into an image, installed into a fresh virtual environment in a temporary
directory, and runs `newsflow setup` and the cleaner against the real stack."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaConsumer

from newsflow.runtime.kafka import producer
from newsflow.stack import LocalStack
from tests.paths import DEPLOY, REPO
from tests.pipeline import isolated_env

pytestmark = pytest.mark.e2e


def _image_context(target: Path) -> Path:
    """The files the Dockerfile's dependency stage copies, laid out as in the image's /app."""
    stage = (DEPLOY / "Dockerfile").read_text().split("FROM base AS dependencies", 1)[1]
    stage = stage.split("\nFROM ", 1)[0]
    copies = [line.split()[1:] for line in stage.splitlines() if line.startswith("COPY ")]
    assert copies, "the Dockerfile's dependency stage copies nothing"
    for *sources, destination in copies:
        for source in sources:
            origin = REPO / source
            where = target / destination if destination != "./" else target / origin.name
            if destination.endswith("/") and destination != "./":
                where = target / destination / origin.name
            where.parent.mkdir(parents=True, exist_ok=True)
            if origin.is_dir():
                shutil.copytree(origin, where, symlinks=True)
            else:
                shutil.copy2(origin, where)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    context = _image_context(tmp_path_factory.mktemp("image-context"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), "."],
        cwd=context,
        check=True,
        timeout=300,
    )
    [built] = dist.glob("newsflow-*.whl")
    return built


def test_the_image_wheel_ships_the_runtime_files_and_no_developer_tooling(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert not [n for n in names if n.startswith("newsflow_dev/")]
        shipped = {
            "newsflow/resources/schemas/raw.schema.json": REPO / "schemas" / "raw.schema.json",
            "newsflow/resources/schemas/elasticsearch/articles.template.json": (
                REPO / "schemas" / "elasticsearch" / "articles.template.json"
            ),
            "newsflow/resources/deploy/versions.env": DEPLOY / "versions.env",
            "newsflow/resources/deploy/kibana/newsflow.ndjson": DEPLOY
            / "kibana"
            / "newsflow.ndjson",
            "newsflow/stack/config/kafka.properties": (
                REPO / "services" / "newsflow" / "stack" / "config" / "kafka.properties"
            ),
        }
        for name, origin in shipped.items():
            assert archive.read(name) == origin.read_bytes(), name


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--constraint",
            str(REPO / "constraints.txt"),
            f"newsflow[cleaner] @ {wheel.as_uri()}",
        ],
        check=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEWSFLOW_HOME")},
    )
    return venv / "bin" / "newsflow"


async def test_installed_wheel_sets_up_and_cleans_one_message(
    installed: Path, stack: LocalStack, unique: str, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEWSFLOW_HOME")},
        **isolated_env(stack, unique),
    }
    setup = subprocess.run(
        [str(installed), "setup"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert f"topic test.{unique}.raw" in setup.stdout

    article = {"url": "https://example.org/wheel", "text": "Une phrase. " * 40}
    sender = producer(stack.bootstrap_servers)
    await sender.start()
    try:
        await sender.send_and_wait(env["NEWSFLOW_TOPICS__RAW"], orjson.dumps(article))
    finally:
        await sender.stop()

    log = tmp_path / "cleaner.log"
    with log.open("wb") as out:
        cleaner = subprocess.Popen(
            [str(installed), "run", "cleaner"], cwd=tmp_path, env=env, stdout=out, stderr=out
        )
    consumer = AIOKafkaConsumer(
        env["NEWSFLOW_TOPICS__CLEAN"],
        bootstrap_servers=stack.bootstrap_servers,
        auto_offset_reset="earliest",
        group_id=None,
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), 120)
    except TimeoutError:
        pytest.fail("the installed cleaner sent nothing:\n" + log.read_text(errors="replace"))
    finally:
        await consumer.stop()
        cleaner.terminate()
        cleaner.wait(timeout=60)
    cleaned = orjson.loads(record.value)
    assert cleaned["url"] == article["url"]
    assert cleaned["body"].startswith("Une phrase.")
    assert cleaned["schema_version"] == 1
