"""``reelwright admin``: registered keys, top-ups and binding anonymous clients to keys."""

from __future__ import annotations

from pathlib import Path

import typer

from reelwright.errors import ReelwrightError
from reelwright.settings import Settings
from reelwright.store import Accounts, Database, Ledger

app = typer.Typer(help="Manage keys and credits.", no_args_is_help=True)

DATA_DIR = typer.Option(None, "--data-dir", help="Folder holding reelwright.db.")


def _open(data_dir: Path | None) -> tuple[Database, Accounts]:
    settings = Settings.from_env(data_dir=str(data_dir) if data_dir else None)
    db = Database.from_settings(settings)
    db.migrate()
    return db, Accounts(db, Ledger(db, settings))


@app.command("create-key")
def create_key(credits: int = typer.Option(0, "--credits", min=0),
               plan: str = typer.Option("standard", "--plan"),
               data_dir: Path = DATA_DIR) -> None:
    """Create a registered API key and print it (it is shown only once)."""
    db, accounts = _open(data_dir)
    try:
        key, user_id = accounts.create_key(credits, plan)
    finally:
        db.dispose()
    typer.echo(key)
    typer.echo(f"user {user_id}, plan {plan}, {credits} credits", err=True)


@app.command()
def grant(token_or_client: str = typer.Argument(..., help="A token, key or client id."),
          credits: int = typer.Argument(..., min=1),
          data_dir: Path = DATA_DIR) -> None:
    """Top up a user's credits."""
    db, accounts = _open(data_dir)
    try:
        user_id = accounts.user_for(token_or_client)
        balance = accounts.ledger.grant(user_id, credits, ref="admin grant")
    except ReelwrightError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    typer.echo(f"{user_id}: available {balance.available}, frozen {balance.frozen}")


@app.command()
def bind(client_id: str = typer.Argument(...), key: str = typer.Argument(...),
         data_dir: Path = DATA_DIR) -> None:
    """Move an anonymous client's sessions and credits onto a registered key."""
    db, accounts = _open(data_dir)
    try:
        moved = accounts.bind(client_id, key)
    except ReelwrightError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    typer.echo(f"moved {moved['sessions']} sessions and {moved['credits']} credits")
