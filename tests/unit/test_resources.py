"""The package's runtime files are the repository's schemas/ and deploy/ files, never copies
that could drift, and the cores import nothing from the shells."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from newsflow.resources import read_bytes, resource
from tests.paths import DEPLOY, REPO, SCHEMAS

SHIPPED = [
    *(("schemas", *p.relative_to(SCHEMAS).parts) for p in sorted(SCHEMAS.rglob("*.json"))),
    ("deploy", "versions.env"),
    *(("deploy", "kibana", p.name) for p in sorted((DEPLOY / "kibana").iterdir())),
]


@pytest.mark.parametrize("parts", SHIPPED, ids=lambda parts: "/".join(parts))
def test_packaged_resources_are_the_repository_files(parts: tuple[str, ...]) -> None:
    assert read_bytes(*parts) == REPO.joinpath(*parts).read_bytes()


def test_every_schema_is_shipped() -> None:
    assert len([p for p in SHIPPED if p[0] == "schemas"]) >= 6
    assert resource("schemas", "raw.schema.json").is_file()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


CORE_DIR = REPO / "services" / "newsflow" / "core"
CORE = sorted(CORE_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(CORE_DIR)))
def test_cores_import_no_shell(path: Path) -> None:
    """Pure cores: no Kafka, no Elasticsearch, no settings, no stream runtime."""
    forbidden = ("aiokafka", "faust", "elasticsearch", "newsflow.settings", "newsflow.runtime")
    forbidden += ("newsflow.stages", "newsflow.elastic", "newsflow.stack", "newsflow.setup")
    bad = {m for m in _imports(path) if m.startswith(forbidden)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def _module_name(path: Path) -> str:
    relative = path.relative_to(REPO / "services").with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _top_level_imports(path: Path) -> set[str]:
    """Imports executed when the module loads (not those inside functions or TYPE_CHECKING)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_import_cycles() -> None:
    paths = sorted((REPO / "services").rglob("*.py"))
    modules = {_module_name(p): p for p in paths}
    graph = {
        name: {m for m in _top_level_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, "import cycle: " + " -> ".join([*visiting, name])
        visiting.append(name)
        for target in sorted(graph[name]):
            visit(target)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
