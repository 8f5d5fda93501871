"""`reelwright`: make, render, serve, worker, chat, admin."""

from __future__ import annotations

import typer

from reelwright.cli import admin, chat, make, render_cmd, serve, worker

app = typer.Typer(
    name="reelwright",
    help="Reelwright: photos, clips, music or a script in; a finished video out.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("make")(make.make)
app.command("render")(render_cmd.render)
app.command("serve")(serve.serve)
app.command("worker")(worker.worker)
app.command("chat")(chat.chat)
app.add_typer(admin.app, name="admin", help="Manage API keys, credits and account bindings.")

if __name__ == "__main__":
    app()
