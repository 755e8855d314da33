"""Where the checkout's files are, for tests that read them."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
SCHEMAS = REPO / "schemas"
FIXTURES = REPO / "tests" / "fixtures"
SHARED_EVAL = REPO.parent / "shared" / "eval"
