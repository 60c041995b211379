"""POST /api/login: login ids, response bodies by status, JWT claims, token cookies,
noJWT, API-key rules (application, then tenant), and validation errors."""

import time
import uuid

import pytest

from harness import (
    ISSUER,
    PUBLIC,
    PUBLIC_JWT_TTL_SECONDS,
    PUBLIC_REFRESH_TTL_MINUTES,
    SHOP,
    TENANT_ID,
    TENANT_JWT_TTL_SECONDS,
    TENANT_REFRESH_TTL_MINUTES,
    VERIFIED,
    assert_status,
    login_request,
    set_cookies,
    unique_email,
)


def test_login_by_email_returns_token_and_user(client, sidecar, make_user):
    account = make_user()

    response = client.login(login_request(account))

    assert_status(response, 200)
    body = response.success_response
    assert body["user"]["id"] == account.id
    assert body["user"]["email"] == account.email
    assert "password" not in body["user"]
    claims = sidecar.claims(body["token"])
    assert abs(body["tokenExpirationInstant"] - claims["exp"] * 1000) < 1000
    assert "refreshToken" not in body


def test_login_id_email_is_case_insensitive(client, make_user):
    account = make_user()

    response = client.login({"loginId": account.email.upper(), "password": account.password})

    assert_status(response, 200)
    assert response.success_response["user"]["id"] == account.id


def test_login_by_username(client, make_user):
    account = make_user(with_username=True)

    response = client.login({"loginId": account.username, "password": account.password})

    assert_status(response, 200)
    assert response.success_response["user"]["id"] == account.id
    assert response.success_response["user"]["username"] == account.username


def test_access_token_claims_for_a_registered_user(client, sidecar, make_user):
    account = make_user(register=[SHOP], roles=["user", "admin"])
    before = int(time.time())

    response = client.login(login_request(account, SHOP))

    assert_status(response, 200)
    claims = sidecar.claims(response.success_response["token"], audience=SHOP)
    assert claims["sub"] == account.id
    assert claims["iss"] == ISSUER
    assert claims["aud"] == SHOP
    assert claims["tid"] == TENANT_ID
    assert claims["applicationId"] == SHOP
    assert sorted(claims["roles"]) == ["admin", "user"]
    assert claims["authenticationType"] == "PASSWORD"
    assert claims["email"] == account.email
    assert claims["exp"] - claims["iat"] == TENANT_JWT_TTL_SECONDS
    assert before - 5 <= claims["iat"] <= time.time() + 5


def test_application_jwt_configuration_overrides_the_tenant_ttl(anon, sidecar, make_user):
    account = make_user(register=[PUBLIC])

    response = anon.login(login_request(account, PUBLIC))

    assert_status(response, 200)
    claims = sidecar.claims(response.success_response["token"], audience=PUBLIC)
    assert claims["exp"] - claims["iat"] == PUBLIC_JWT_TTL_SECONDS


def test_registered_login_issues_refresh_token_and_cookies(client, make_user):
    account = make_user(register=[SHOP])

    response = client.login(login_request(account, SHOP))

    assert_status(response, 200)
    body = response.success_response
    assert body["refreshToken"]
    uuid.UUID(body["refreshTokenId"])
    cookies = set_cookies(response)
    access = cookies["access_token"]
    assert access.value == body["token"]
    assert access.http_only
    assert "max-age" not in access.attributes and "expires" not in access.attributes
    refresh = cookies["refresh_token"]
    assert refresh.value == body["refreshToken"]
    assert refresh.http_only
    assert refresh.max_age == TENANT_REFRESH_TTL_MINUTES * 60


def test_refresh_cookie_lifetime_follows_the_application_jwt_configuration(anon, make_user):
    account = make_user(register=[PUBLIC])

    response = anon.login(login_request(account, PUBLIC))

    assert_status(response, 200)
    assert set_cookies(response)["refresh_token"].max_age == PUBLIC_REFRESH_TTL_MINUTES * 60


def test_no_jwt_issues_no_tokens_and_no_token_cookies(client, make_user):
    account = make_user(register=[SHOP])

    response = client.login(login_request(account, SHOP, noJWT=True))

    assert_status(response, 200)
    body = response.success_response
    assert body["user"]["id"] == account.id
    for absent in ("token", "refreshToken", "refreshTokenId", "tokenExpirationInstant"):
        assert absent not in body
    cookies = set_cookies(response)
    assert "access_token" not in cookies
    assert "refresh_token" not in cookies


def test_user_not_registered_for_the_application_gets_202_without_refresh_token(client, sidecar, make_user):
    account = make_user()

    response = client.login(login_request(account, SHOP))

    assert_status(response, 202)
    body = response.success_response
    assert body["user"]["id"] == account.id
    assert "refreshToken" not in body
    assert "refresh_token" not in set_cookies(response)
    claims = sidecar.claims(body["token"])
    assert claims["sub"] == account.id
    assert "roles" not in claims
    assert "applicationId" not in claims


def test_unverified_registration_gets_213_with_the_user(client, make_user):
    account = make_user(register=[VERIFIED])

    response = client.login(login_request(account, VERIFIED))

    assert_status(response, 213)
    assert response.success_response["user"]["id"] == account.id


def test_wrong_password_and_unknown_user_are_indistinguishable(client, make_user):
    account = make_user(register=[SHOP])

    wrong_password = client.login(login_request(account, SHOP, password="not-the-password"))
    unknown_user = client.login({"loginId": unique_email(), "password": "not-the-password", "applicationId": SHOP})

    assert_status(wrong_password, 404)
    assert_status(unknown_user, 404)
    assert wrong_password.response.content == b""
    assert unknown_user.response.content == b""
    assert set_cookies(wrong_password) == {} == set_cookies(unknown_user)


def test_missing_login_id_and_password_are_field_errors(client):
    response = client.login({"applicationId": SHOP})

    assert_status(response, 400)
    assert response.response.headers["Content-Type"].startswith("application/json")
    errors = response.error_response["fieldErrors"]
    assert errors["loginId"][0]["code"] == "[blank]loginId"
    assert errors["password"][0]["code"] == "[blank]password"


def test_blank_strings_count_as_missing(client):
    response = client.login({"loginId": "", "password": "", "applicationId": SHOP})

    assert_status(response, 400)
    errors = response.error_response["fieldErrors"]
    assert errors["loginId"][0]["code"] == "[blank]loginId"
    assert errors["password"][0]["code"] == "[blank]password"


def test_application_requiring_authentication_rejects_a_missing_api_key(anon, make_user):
    account = make_user(register=[SHOP])

    response = anon.login(login_request(account, SHOP))

    assert_status(response, 401)
    assert response.response.content == b""


def test_wrong_api_key_is_401(sidecar, make_user):
    account = make_user(register=[SHOP])

    response = sidecar.client(api_key="not-a-configured-api-key").login(login_request(account, SHOP))

    assert_status(response, 401)
    assert response.response.content == b""


def test_application_not_requiring_authentication_accepts_anonymous_login(anon, make_user):
    account = make_user(register=[PUBLIC])

    response = anon.login(login_request(account, PUBLIC))

    assert_status(response, 200)
    assert response.success_response["refreshToken"]


def test_without_application_the_tenant_requires_an_api_key(anon, make_user):
    account = make_user()

    response = anon.login(login_request(account))

    assert_status(response, 401)


@pytest.mark.parametrize("application_id", ["not-a-uuid", "1234"])
def test_malformed_application_id_is_400(client, make_user, application_id):
    account = make_user()

    response = client.login(login_request(account, application_id))

    assert_status(response, 400)
    assert response.error_response.get("fieldErrors") or response.error_response.get("generalErrors")


def test_ip_address_in_the_body_is_accepted(client, make_user):
    account = make_user(register=[SHOP])

    response = client.login(login_request(account, SHOP, ipAddress="192.168.1.42"))

    assert_status(response, 200)


def test_device_metadata_in_the_body_is_accepted(client, make_user):
    account = make_user(register=[SHOP])

    response = client.login(
        login_request(account, SHOP, metaData={"device": {"name": "laptop", "type": "BROWSER", "description": "ci"}})
    )

    assert_status(response, 200)
    assert response.success_response["refreshToken"]
