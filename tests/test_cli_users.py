"""``borderwatch user add`` through the real command group: exit codes, error lines, stored hashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from borderwatch import review
from borderwatch.cli import cli
from borderwatch.cli_users import user
from borderwatch.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> str:
    """An SQLite path, and ``user`` registered the way the lead registers it in ``cli``."""
    cli.add_command(user)
    return str(tmp_path / "users.db")


def test_add_reads_the_password_from_the_environment(db: str) -> None:
    result = CliRunner().invoke(cli, ["user", "add", "ed", "--role", "editor", "--db", db],
                                env={"BORDERWATCH_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert f"added editor 'ed' to {db}" in result.output and PASSWORD not in result.output
    with Store.open(f"sqlite:///{db}") as store:
        assert review.authenticate(store, "ed", PASSWORD).role == "editor"


def test_add_prompts_twice_without_echoing(db: str) -> None:
    result = CliRunner().invoke(cli, ["user", "add", "vi", "--db", db], env={"BORDERWATCH_PASSWORD": ""},
                                input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and "Repeat for confirmation" in result.output
    with Store.open(f"sqlite:///{db}") as store:
        assert review.authenticate(store, "vi", PASSWORD).role == "viewer"


def test_a_taken_name_is_one_error_line_and_exit_2(db: str) -> None:
    runner = CliRunner()
    args = ["user", "add", "ed", "--db", db]
    assert runner.invoke(cli, args, env={"BORDERWATCH_PASSWORD": PASSWORD}).exit_code == 0
    result = runner.invoke(cli, args, env={"BORDERWATCH_PASSWORD": PASSWORD})
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        f"error: cannot add user 'ed' in {db}: a user named 'ed' already exists")


def test_an_unknown_role_is_a_usage_error(db: str) -> None:
    result = CliRunner().invoke(cli, ["user", "add", "ed", "--role", "admin", "--db", db],
                                env={"BORDERWATCH_PASSWORD": PASSWORD})
    assert result.exit_code == 2 and "'admin' is not one of 'viewer', 'editor'" in result.output
