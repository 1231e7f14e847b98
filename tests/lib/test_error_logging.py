"""An unexpected error is logged once, with the request id: not again by the server."""

import asyncio
import logging
import socket

import httpx
import pytest
import uvicorn
from fastapi import FastAPI


def _add_failing_route(app: FastAPI) -> None:
    @app.get("/_test/boom")
    async def boom() -> None:
        raise RuntimeError("unexpected failure")


def _error_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_unexpected_error_ends_in_the_app_with_one_log_record(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    _add_failing_route(app)
    # raise_app_exceptions: an exception that leaves the app (for the server to log
    # again) fails the request here.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        with caplog.at_level(logging.INFO):
            response = await client.get("/_test/boom", headers={"X-Request-ID": "once-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["request_id"] == "once-1"
    assert response.headers["X-Request-ID"] == "once-1"
    (record,) = _error_records(caplog)
    assert record.name == "internhub.errors"
    assert record.exc_info is not None
    assert "unexpected failure" in caplog.text
    assert record.getMessage() == "unexpected error on GET /_test/boom"
    # The request id reaches the log line (the handler's filter adds it from the context).
    assert "once-1" in caplog.text or getattr(record, "request_id", None) == "once-1"


async def test_a_served_500_is_logged_once(app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    """Through uvicorn itself: its "Exception in ASGI application" must not follow."""
    _add_failing_route(app)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):  # uvicorn offers no event for "listening"
            if server.started:
                break
            await asyncio.sleep(0.02)
        with caplog.at_level(logging.INFO):
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                response = await client.get("/_test/boom", headers={"X-Request-ID": "served-1"})
                assert (await client.get("/health")).status_code == 200
    finally:
        server.should_exit = True
        await serving
    assert response.status_code == 500
    assert response.json()["request_id"] == "served-1"
    records = _error_records(caplog)
    assert [r.name for r in records] == ["internhub.errors"], caplog.text
