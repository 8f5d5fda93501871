"""``reelwright admin``: create-key prints a working key, grant tops up, bind moves a client."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.api.api_helpers import Api
from typer.testing import CliRunner

from reelwright.api import create_app
from reelwright.cli.admin import app as admin
from reelwright.settings import Settings


def test_keys_grants_and_binding(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    runner = CliRunner()
    made = runner.invoke(admin, ["create-key", "--credits", "40", "--plan", "pro",
                                 "--data-dir", data])
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[0]
    assert key.startswith("rwk_")

    with TestClient(create_app(Settings({"data_dir": data}))) as client:
        api = Api(client)
        key_auth = {"Authorization": f"Bearer {key}"}
        balance = client.get("/api/credits/balance/simple", headers=key_auth).json()["data"]
        assert balance == {"available": 40, "frozen": 0, "total": 40}

        anon = api.token("phone-123")
        sid = api.session(anon)

        granted = runner.invoke(admin, ["grant", "phone-123", "25", "--data-dir", data])
        assert granted.exit_code == 0, granted.output
        assert client.get("/api/credits/balance/simple",
                          headers=anon).json()["data"]["available"] == 125

        bound = runner.invoke(admin, ["bind", "phone-123", key, "--data-dir", data])
        assert bound.exit_code == 0 and "1 sessions and 125 credits" in bound.stdout
        assert client.get("/api/credits/balance/simple",
                          headers=key_auth).json()["data"]["available"] == 165
        assert api.state(key_auth, sid).json()["code"] == 0

        bad = runner.invoke(admin, ["bind", "no-such-client", key, "--data-dir", data])
        assert bad.exit_code == 1 and "no client id" in bad.output
