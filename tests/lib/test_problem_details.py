"""Every error leaves the app as RFC 9457 problem details with a request id."""

import logging

import httpx
import pytest
from fastapi import FastAPI

from src.lib.errors import NotFoundError, TooManyRequestsError, UnprocessableError


async def test_request_id_is_echoed_when_given(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


async def test_request_id_is_generated_when_missing_or_unsafe(client: httpx.AsyncClient) -> None:
    generated = await client.get("/health")
    assert len(generated.headers["X-Request-ID"]) == 32
    unsafe = await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["X-Request-ID"] != "bad id\twith spaces"


async def test_problem_carries_request_id_in_body_and_header(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/777777", headers={"X-Request-ID": "trace-42"})
    assert response.headers["X-Request-ID"] == "trace-42"
    assert response.json()["request_id"] == "trace-42"


async def test_domain_errors_keep_status_code_and_headers(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    @app.get("/_test/throttled")
    async def throttled() -> None:
        raise TooManyRequestsError("Slow down.", retry_after=42)

    @app.get("/_test/missing")
    async def missing() -> None:
        raise NotFoundError("Nothing here.")

    @app.get("/_test/rule")
    async def rule() -> None:
        raise UnprocessableError("End date is before the start.", field="end_date")

    throttled_response = await client.get("/_test/throttled")
    assert throttled_response.status_code == 429
    assert throttled_response.headers["Retry-After"] == "42"
    assert throttled_response.json()["retry_after"] == 42

    missing_response = await client.get("/_test/missing")
    assert missing_response.json() == {
        "type": "urn:internhub:problem:not_found",
        "title": "Not found",
        "status": 404,
        "detail": "Nothing here.",
        "code": "not_found",
        "instance": "/_test/missing",
        "request_id": missing_response.headers["X-Request-ID"],
    }

    rule_response = await client.get("/_test/rule")
    assert rule_response.status_code == 422
    assert rule_response.json()["errors"] == [
        {"loc": ["body", "end_date"], "msg": "End date is before the start."}
    ]


async def test_unexpected_error_is_logged_with_request_id(
    app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    @app.get("/_test/boom")
    async def boom() -> None:
        raise ValueError("boom")

    with caplog.at_level(logging.ERROR, logger="internhub.errors"):
        response = await client.get("/_test/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "boom-1"
    records = [r for r in caplog.records if r.name == "internhub.errors"]
    assert records
    assert getattr(records[0], "request_id", None) == "boom-1" or "boom-1" in caplog.text


async def test_openapi_documents_problem_responses(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    create = schema["paths"]["/api/v1/users"]["post"]
    assert "409" in create["responses"]
    assert "Problem" in schema["components"]["schemas"]
