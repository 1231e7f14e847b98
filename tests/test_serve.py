"""`internhub serve` as a real process on the embedded PostgreSQL, over real HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

INTERNHUB = str(Path(sys.executable).parent / "internhub")

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early with {process.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not come up")


def test_serve_on_embedded_postgres(tmp_path: Path) -> None:
    port = free_port()
    pgdata = tmp_path / "postgres"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TEST_DATABASE_URL"}}
    env["EMBEDDED_DB_DIR"] = str(pgdata)
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [INTERNHUB, "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        assert httpx.get(f"{base}/health").json() == {"status": "ok"}
        assert httpx.get(f"{base}/ready").status_code == 200
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200
        assert "swagger" in docs.text.lower()
        assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "InternHub"

        admin = subprocess.run(
            [
                *(INTERNHUB, "create-admin", "--email", "olga@example.com"),
                *("--username", "olga", "--full-name", "Ольга Миронова"),
                *("--password", "organiser-pass-1"),
            ],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert admin.returncode == 0, admin.stderr
        login = httpx.post(
            f"{base}/api/v1/auth/login", json={"login": "OLGA", "password": "organiser-pass-1"}
        )
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert httpx.post(f"{base}/api/v1/users", json={}).status_code == 401

        body = {
            "email": "anna@example.com",
            "username": "anna",
            "password": "long-enough-password",
            "full_name": "Анна Новикова",
        }
        created = httpx.post(f"{base}/api/v1/users", json=body, headers=headers)
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        read = httpx.get(f"{base}/api/v1/users/{user_id}", headers=headers)
        assert read.json()["full_name"] == "Анна Новикова"
        by_name = httpx.get(f"{base}/api/v1/users/by-username/ANNA", headers=headers)
        assert by_name.json()["id"] == user_id
        assert httpx.post(f"{base}/api/v1/users", json=body, headers=headers).status_code == 409
        assert (pgdata / "PG_VERSION").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            log.close()
    assert process.returncode == 0, (tmp_path / "serve.log").read_text()
    # The embedded server belongs to the serve process and stops with it.
    deadline = time.monotonic() + 15
    while (pgdata / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (pgdata / "postmaster.pid").exists()
