"""POST /api/logout: it answers 200, deletes the token cookies, revokes the refresh token
given as a parameter, in the body or in the refresh_token cookie, and with global=true
revokes every refresh token of that user."""

import requests

from harness import HTTP_TIMEOUT_SECONDS, SHOP, assert_status, login_request, set_cookies


def shop_refresh_token(client, account):
    response = client.login(login_request(account, SHOP))
    assert_status(response, 200)
    return response.success_response["refreshToken"]


def refreshes(client, refresh_token) -> bool:
    return client.exchange_refresh_token_for_jwt({"refreshToken": refresh_token}).status == 200


def test_logout_revokes_the_token_and_deletes_the_cookies(client, make_user):
    account = make_user(register=[SHOP])
    refresh_token = shop_refresh_token(client, account)

    response = client.logout(False, refresh_token)

    assert_status(response, 200)
    assert not refreshes(client, refresh_token)
    cookies = set_cookies(response)
    assert cookies["access_token"].deletes
    assert cookies["refresh_token"].deletes


def test_logout_leaves_the_users_other_sessions_alone(client, make_user):
    account = make_user(register=[SHOP])
    first = shop_refresh_token(client, account)
    second = shop_refresh_token(client, account)
    assert first != second

    assert_status(client.logout(False, first), 200)

    assert not refreshes(client, first)
    assert refreshes(client, second)


def test_global_logout_revokes_every_token_of_the_user(client, make_user):
    account = make_user(register=[SHOP])
    first = shop_refresh_token(client, account)
    second = shop_refresh_token(client, account)
    bystander = shop_refresh_token(client, make_user(register=[SHOP]))

    assert_status(client.logout(True, first), 200)

    assert not refreshes(client, first)
    assert not refreshes(client, second)
    assert refreshes(client, bystander)


def test_logout_with_a_json_body(client, make_user):
    account = make_user(register=[SHOP])
    refresh_token = shop_refresh_token(client, account)

    response = client.logout_with_request({"global": False, "refreshToken": refresh_token})

    assert_status(response, 200)
    assert not refreshes(client, refresh_token)


def test_logout_with_the_refresh_token_cookie(client, sidecar, make_user):
    account = make_user(register=[SHOP])
    refresh_token = shop_refresh_token(client, account)

    response = requests.post(
        sidecar.url("/api/logout"), cookies={"refresh_token": refresh_token}, timeout=HTTP_TIMEOUT_SECONDS
    )

    assert_status(response, 200)
    assert not refreshes(client, refresh_token)
    assert set_cookies(response)["refresh_token"].deletes


def test_logout_without_any_token_still_answers_200(anon):
    assert_status(anon.logout(False), 200)


def test_logout_with_an_unknown_token_answers_200(anon):
    assert_status(anon.logout(False, "no-such-refresh-token"), 200)
