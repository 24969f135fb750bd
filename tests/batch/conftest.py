"""One real local Spark session for the batch tests: local[2], loopback only, no web UI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from borderwatch.batch import start_session


def _java_found() -> bool:
    home = os.environ.get("JAVA_HOME")
    return Path(home, "bin", "java").is_file() if home else shutil.which("java") is not None


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """Started once for the whole test session (Spark takes 10-20 s to start), stopped at the end."""
    if not _java_found():
        pytest.skip("Java not found (no java on PATH, JAVA_HOME unset): Spark tests need Java 17+; "
                    "run scripts/test-setup.sh as root or apt-get install openjdk-17-jre-headless")
    session = start_session("local[2]", conf={"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()
