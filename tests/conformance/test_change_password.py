"""Password state at login and the change-password flow: expired accounts (410), required
changes (203 with a usable changePasswordId), forgot-password → change-password → one-time
password login, `state` round-tripping, and what a password change revokes."""

import time

from harness import (
    SHOP,
    assert_status,
    login_request,
    set_cookies,
)

NEW_PASSWORD = "new-password-123"


def start_password_reset(client, account, **extra):
    response = client.forgot_password({"loginId": account.email, **extra})
    assert_status(response, 200)
    return response.success_response["changePasswordId"]


def test_expired_user_gets_410(client, make_user):
    account = make_user(register=[SHOP], expiry=int(time.time() * 1000) - 60_000)

    response = client.login(login_request(account, SHOP))

    assert_status(response, 410)
    assert response.response.content == b""


def test_user_with_future_expiry_logs_in(client, make_user):
    account = make_user(register=[SHOP], expiry=int(time.time() * 1000) + 3_600_000)

    assert_status(client.login(login_request(account, SHOP)), 200)


def test_password_change_required_gets_203_without_tokens(client, make_user):
    account = make_user(register=[SHOP], passwordChangeRequired=True)

    response = client.login(login_request(account, SHOP))

    assert_status(response, 203)
    body = response.success_response
    assert body["changePasswordId"]
    assert body["changePasswordReason"] == "Administrative"
    for absent in ("token", "refreshToken"):
        assert absent not in body
    cookies = set_cookies(response)
    assert "access_token" not in cookies and "refresh_token" not in cookies


def test_change_password_id_from_a_203_login_changes_the_password(client, make_user):
    account = make_user(register=[SHOP], passwordChangeRequired=True)
    change_password_id = client.login(login_request(account, SHOP)).success_response["changePasswordId"]

    changed = client.change_password(change_password_id, {"password": NEW_PASSWORD})

    assert_status(changed, 200)
    assert changed.success_response["oneTimePassword"]
    assert_status(client.login(login_request(account, SHOP, password=NEW_PASSWORD)), 200)


def test_forgot_password_with_api_key_returns_a_change_password_id(client, make_user):
    account = make_user(register=[SHOP])

    response = client.forgot_password({"loginId": account.email})

    assert_status(response, 200)
    assert response.success_response["changePasswordId"]


def test_forgot_password_without_api_key_is_403(anon, make_user):
    account = make_user(register=[SHOP])

    assert_status(anon.forgot_password({"loginId": account.email}), 403)


def test_change_password_then_log_in_with_the_one_time_password(client, sidecar, make_user):
    account = make_user(register=[SHOP])
    change_password_id = start_password_reset(client, account)

    changed = client.change_password(change_password_id, {"password": NEW_PASSWORD})
    assert_status(changed, 200)
    one_time_password = changed.success_response["oneTimePassword"]

    login = client.login({"oneTimePassword": one_time_password, "applicationId": SHOP})
    assert_status(login, 200)
    claims = sidecar.claims(login.success_response["token"], audience=SHOP)
    assert claims["sub"] == account.id
    assert claims["authenticationType"] == "ONE_TIME_PASSWORD"


def test_one_time_password_works_only_once(client, make_user):
    account = make_user(register=[SHOP])
    change_password_id = start_password_reset(client, account)
    one_time_password = client.change_password(change_password_id, {"password": NEW_PASSWORD}).success_response[
        "oneTimePassword"
    ]
    assert_status(client.login({"oneTimePassword": one_time_password, "applicationId": SHOP}), 200)

    again = client.login({"oneTimePassword": one_time_password, "applicationId": SHOP})

    assert_status(again, 404)


def test_one_time_password_login_follows_the_api_key_rules(client, anon, make_user):
    account = make_user(register=[SHOP])
    change_password_id = start_password_reset(client, account)
    one_time_password = client.change_password(change_password_id, {"password": NEW_PASSWORD}).success_response[
        "oneTimePassword"
    ]

    assert_status(anon.login({"oneTimePassword": one_time_password, "applicationId": SHOP}), 401)


def test_after_a_change_only_the_new_password_works(client, make_user):
    account = make_user(register=[SHOP])
    change_password_id = start_password_reset(client, account)

    assert_status(client.change_password(change_password_id, {"password": NEW_PASSWORD}), 200)

    assert_status(client.login(login_request(account, SHOP)), 404)
    assert_status(client.login(login_request(account, SHOP, password=NEW_PASSWORD)), 200)


def test_state_given_to_forgot_password_comes_back_from_change_password(client, make_user):
    account = make_user(register=[SHOP])
    state = {"redirect_uri": "https://shop.example/after-reset", "nested": {"n": 7, "flags": [True, False]}}
    change_password_id = start_password_reset(client, account, state=state)

    changed = client.change_password(change_password_id, {"password": NEW_PASSWORD})

    assert_status(changed, 200)
    assert changed.success_response["state"] == state


def test_change_password_id_is_single_use(client, make_user):
    account = make_user(register=[SHOP])
    change_password_id = start_password_reset(client, account)
    assert_status(client.change_password(change_password_id, {"password": NEW_PASSWORD}), 200)

    again = client.change_password(change_password_id, {"password": "another-password-456"})

    assert_status(again, 404)
    assert_status(client.login(login_request(account, SHOP, password=NEW_PASSWORD)), 200)


def test_unknown_change_password_id_is_404(client):
    assert_status(client.change_password("no-such-change-password-id", {"password": NEW_PASSWORD}), 404)


def test_too_short_new_password_is_a_field_error(client, make_user):
    account = make_user(register=[SHOP])
    change_password_id = start_password_reset(client, account)

    response = client.change_password(change_password_id, {"password": "short"})

    assert_status(response, 400)
    assert response.error_response["fieldErrors"]["password"][0]["code"] == "[tooShort]password"
    assert_status(client.login(login_request(account, SHOP)), 200)


def test_password_change_revokes_the_users_refresh_tokens(client, make_user):
    account = make_user(register=[SHOP])
    refresh_token = client.login(login_request(account, SHOP)).success_response["refreshToken"]
    change_password_id = start_password_reset(client, account)

    assert_status(client.change_password(change_password_id, {"password": NEW_PASSWORD}), 200)

    assert_status(client.exchange_refresh_token_for_jwt({"refreshToken": refresh_token}), 400)


def test_one_time_password_after_a_required_change_logs_straight_in(client, make_user):
    account = make_user(register=[SHOP], passwordChangeRequired=True)
    change_password_id = client.login(login_request(account, SHOP)).success_response["changePasswordId"]
    one_time_password = client.change_password(change_password_id, {"password": NEW_PASSWORD}).success_response[
        "oneTimePassword"
    ]

    assert_status(client.login({"oneTimePassword": one_time_password, "applicationId": SHOP}), 200)
    assert_status(client.login(login_request(account, SHOP, password=NEW_PASSWORD)), 200)
