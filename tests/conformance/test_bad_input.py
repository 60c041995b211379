"""Malformed requests get client errors, never 500s: broken JSON and wrongly typed fields
are 400 with a JSON Errors body, and a body over 1 MiB is 413."""

import json
import socket

import pytest
import requests

from harness import HTTP_TIMEOUT_SECONDS, SHOP, assert_status


def post_login(sidecar, data, content_type="application/json"):
    return requests.post(
        sidecar.url("/api/login"),
        data=data,
        headers={"Authorization": sidecar.api_key, "Content-Type": content_type},
        timeout=HTTP_TIMEOUT_SECONDS,
    )


def assert_errors_body(response):
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body.get("fieldErrors") or body.get("generalErrors"), body


@pytest.mark.parametrize(
    "body",
    [
        b'{"loginId": "someone@example.com", "password": ',
        b"not json at all",
        b'["a", "list"]',
        b"\xff\xfe\x00garbage",
    ],
    ids=["truncated", "not-json", "not-an-object", "not-utf8"],
)
def test_malformed_json_is_400_with_errors(sidecar, body):
    response = post_login(sidecar, body)

    assert_status(response, 400)
    assert_errors_body(response)


@pytest.mark.parametrize(
    "fields",
    [
        {"loginId": 123, "password": "whatever-password"},
        {"loginId": "someone@example.com", "password": ["not", "a", "string"]},
        {"loginId": "someone@example.com", "password": "whatever-password", "applicationId": "x"},
        {"loginId": "someone@example.com", "password": "whatever-password", "applicationId": 42},
        {"loginId": "someone@example.com", "password": "whatever-password", "noJWT": "sometimes"},
    ],
    ids=["loginId-number", "password-list", "applicationId-not-uuid", "applicationId-number", "noJWT-string"],
)
def test_wrongly_typed_fields_are_400_with_errors(sidecar, fields):
    response = post_login(sidecar, json.dumps(fields).encode())

    assert_status(response, 400)
    assert_errors_body(response)


def raw_post_status(sidecar, path, body: bytes) -> int:
    """POST over a bare socket and return the status code.

    A server may answer 413 and close before reading the whole body; an HTTP library
    blocked writing would then report a reset instead of the answer. Here a failed write
    just ends the upload, and the answer already sent is still read.
    """
    host, port = sidecar.config["listen"].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=HTTP_TIMEOUT_SECONDS) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: {sidecar.api_key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        try:
            for start in range(0, len(body), 64 * 1024):
                sock.sendall(body[start : start + 64 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                answer += chunk
        except ConnectionResetError:
            pass
    status_line = answer.split(b"\r\n", 1)[0].decode(errors="replace")
    assert status_line.startswith("HTTP/1."), f"no HTTP answer: {answer[:200]!r}"
    return int(status_line.split()[1])


def test_body_over_one_mebibyte_is_413(sidecar):
    padding = "x" * (1024 * 1024 + 1)
    body = json.dumps({"loginId": "someone@example.com", "password": padding, "applicationId": SHOP})

    assert raw_post_status(sidecar, "/api/login", body.encode()) == 413


def test_body_just_under_one_mebibyte_is_not_413(sidecar):
    padding = "x" * (1024 * 1024 - 1024)
    body = json.dumps({"loginId": "someone@example.com", "password": padding, "applicationId": SHOP})

    status = raw_post_status(sidecar, "/api/login", body.encode())

    assert status != 413 and status < 500


def test_empty_body_is_400_with_errors(sidecar):
    response = post_login(sidecar, b"")

    assert_status(response, 400)
    assert_errors_body(response)


def test_two_factor_login_with_malformed_json_is_400(sidecar):
    response = requests.post(
        sidecar.url("/api/two-factor/login"),
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=HTTP_TIMEOUT_SECONDS,
    )

    assert_status(response, 400)
    assert_errors_body(response)


def test_refresh_with_malformed_json_is_400(sidecar):
    response = requests.post(
        sidecar.url("/api/jwt/refresh"),
        data=b"{not json",
        headers={"Content-Type": "application/json"},
        timeout=HTTP_TIMEOUT_SECONDS,
    )

    assert_status(response, 400)
    assert_errors_body(response)
