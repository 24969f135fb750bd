"""Settings layers: defaults < borderwatch.toml < BORDERWATCH_* < flags."""

from pathlib import Path

import pytest

from borderwatch.config import load_settings
from borderwatch.errors import ConfigError


def test_layers_override_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    toml = tmp_path / "borderwatch.toml"
    toml.write_text('[borderwatch]\ndb = "from-file.db"\nport = 9000\nout_dir = "file-out"\n')
    monkeypatch.setenv("BORDERWATCH_PORT", "9100")
    settings = load_settings(toml, out_dir=None, host="0.0.0.0")
    assert settings.db == "from-file.db"          # file beats default
    assert settings.port == 9100                   # environment beats file
    assert settings.host == "0.0.0.0"              # flag beats all
    assert settings.out_dir == "file-out"          # a flag given as None does not override


def test_bare_path_is_sqlite_and_urls_pass_through(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    assert load_settings(missing, db="x/y.db").db_url == "sqlite:///x/y.db"
    url = "postgresql+psycopg://u@127.0.0.1:5432/bw"
    assert load_settings(missing, db=url).db_url == url


def test_unknown_setting_names_the_valid_ones(tmp_path: Path) -> None:
    toml = tmp_path / "borderwatch.toml"
    toml.write_text("colour = 'red'\n")
    with pytest.raises(ConfigError, match=r"unknown setting 'colour' in .*expected: db, "):
        load_settings(toml)


def test_port_must_be_a_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BORDERWATCH_PORT", "eighty")
    with pytest.raises(ConfigError, match="whole number"):
        load_settings(tmp_path / "none.toml")
