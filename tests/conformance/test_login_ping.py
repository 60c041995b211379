"""PUT /api/login (Update Login Instant): with an API key by user and application id, with
a JSON body, and with the user's own JWT as a Bearer token."""

import uuid

import requests

from harness import HTTP_TIMEOUT_SECONDS, SHOP, assert_status, login_request, tamper


def test_ping_for_a_registered_user_is_200(client, make_user):
    account = make_user(register=[SHOP])

    assert_status(client.login_ping(account.id, SHOP, "10.0.0.1"), 200)


def test_ping_for_an_unregistered_user_is_202(client, make_user):
    account = make_user()

    assert_status(client.login_ping(account.id, SHOP, "10.0.0.1"), 202)


def test_ping_for_an_unknown_user_is_404(client):
    assert_status(client.login_ping(str(uuid.uuid4()), SHOP, "10.0.0.1"), 404)


def test_ping_needs_an_api_key(anon, make_user):
    account = make_user(register=[SHOP])

    response = anon.login_ping(account.id, SHOP, "10.0.0.1")

    assert_status(response, 401)
    assert response.response.content == b""


def test_ping_with_a_request_body(client, make_user):
    account = make_user(register=[SHOP])

    response = client.login_ping_with_request({"userId": account.id, "applicationId": SHOP, "ipAddress": "10.0.0.2"})

    assert_status(response, 200)


def ping_with_jwt(sidecar, token):
    return requests.put(
        sidecar.url("/api/login"),
        params={"ipAddress": "10.0.0.3"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=HTTP_TIMEOUT_SECONDS,
    )


def test_ping_with_the_users_jwt(client, sidecar, make_user):
    account = make_user(register=[SHOP])
    token = client.login(login_request(account, SHOP)).success_response["token"]

    assert_status(ping_with_jwt(sidecar, token), 200)


def test_ping_with_a_forged_jwt_is_401(client, sidecar, make_user):
    account = make_user(register=[SHOP])
    token = client.login(login_request(account, SHOP)).success_response["token"]

    assert_status(ping_with_jwt(sidecar, tamper(token)), 401)
