"""Where the shared gold sets live (``../shared/eval`` beside the checkout), and the mark for tests that
read them: in a clone without them those tests skip with the reason instead of failing."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
DEV = SHARED_EVAL / "dev"
DEV2 = SHARED_EVAL / "dev2"

needs_dev = pytest.mark.skipif(not DEV.is_dir(), reason=f"the shared dev set is not at {DEV}")
