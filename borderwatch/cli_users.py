"""``borderwatch user ...``: manage who may sign in to review facts (registered in ``cli``)."""

from __future__ import annotations

import os

import click

from borderwatch.config import load_settings
from borderwatch.errors import InputError, Rejected
from borderwatch.model import MIN_PASSWORD_LENGTH, ROLES

PASSWORD_ENV = "BORDERWATCH_PASSWORD"


@click.group()
def user() -> None:
    """Users of the review pages: viewers read, editors confirm, correct and reject facts."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True,
              help="editor: may change facts; viewer: may only read.")
@click.option("--db", default=None, help="SQLite path or database URL (env BORDERWATCH_DB).")
@click.pass_context
def user_add(ctx: click.Context, name: str, role: str, db: str | None) -> None:
    """Add a user; the password is asked twice, or read from BORDERWATCH_PASSWORD for scripts."""
    from borderwatch.review import add_user
    from borderwatch.store.repo import Store

    settings = load_settings(ctx.find_root().obj, db=db)
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        f"Password for {name} (at least {MIN_PASSWORD_LENGTH} characters)", hide_input=True,
        confirmation_prompt=True)
    with Store.open(settings.db_url) as store:
        try:
            added = add_user(store, name, role, password)
        except Rejected as exc:
            raise InputError(f"cannot add user '{name}' in {settings.db}: {exc.message}") from exc
    click.echo(f"added {added.role} '{added.name}' to {settings.db}", err=True)
