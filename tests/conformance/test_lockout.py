"""The failed-authentication lockout (on by default in the sidecar): five wrong passwords
lock the account — 409 with the preventing action for the right password, 404 for a wrong
one — counted per account whatever the spelling of the login id, and reset by success."""

import time
import uuid

from harness import SHOP, assert_status, login_request, set_cookies

TOO_MANY_ATTEMPTS = 5
LOCK_DURATION_MILLIS = 3 * 60 * 1000


def fail_login(client, account, times, spell=lambda email, attempt: email):
    for attempt in range(times):
        response = client.login(
            {"loginId": spell(account.email, attempt), "password": "wrong-password", "applicationId": SHOP}
        )
        assert_status(response, 404)


def test_too_many_failures_lock_the_account_with_409(client, make_user):
    account = make_user(register=[SHOP])
    fail_login(client, account, TOO_MANY_ATTEMPTS)
    now_millis = time.time() * 1000

    response = client.login(login_request(account, SHOP))

    assert_status(response, 409)
    assert response.response.headers["Content-Type"].startswith("application/json")
    body = response.response.json()  # the client parses only 2xx and 400 bodies
    assert "token" not in body
    assert "access_token" not in set_cookies(response)
    action = body["actions"][0]
    uuid.UUID(action["actionId"])
    assert action["reasonCode"] == "failed_authentication"
    assert now_millis < action["expiry"] <= now_millis + LOCK_DURATION_MILLIS + 60_000


def test_failures_under_different_spellings_count_for_the_same_account(client, make_user):
    account = make_user(register=[SHOP])
    spellings = [str.upper, str.lower, str.swapcase, str.title, str.upper]

    fail_login(client, account, TOO_MANY_ATTEMPTS, spell=lambda email, attempt: spellings[attempt](email))

    assert_status(client.login(login_request(account, SHOP)), 409)


def test_wrong_password_while_locked_looks_like_an_unknown_user(client, make_user):
    account = make_user(register=[SHOP])
    fail_login(client, account, TOO_MANY_ATTEMPTS)

    response = client.login(login_request(account, SHOP, password="still-wrong"))

    assert_status(response, 404)
    assert response.response.content == b""


def test_lock_applies_without_an_application_too(client, make_user):
    account = make_user(register=[SHOP])
    fail_login(client, account, TOO_MANY_ATTEMPTS)

    assert_status(client.login(login_request(account)), 409)


def test_fewer_failures_than_the_limit_do_not_lock(client, make_user):
    account = make_user(register=[SHOP])
    fail_login(client, account, TOO_MANY_ATTEMPTS - 1)

    assert_status(client.login(login_request(account, SHOP)), 200)


def test_successful_login_resets_the_failure_count(client, make_user):
    account = make_user(register=[SHOP])

    for _ in range(2):
        fail_login(client, account, TOO_MANY_ATTEMPTS - 1)
        assert_status(client.login(login_request(account, SHOP)), 200)


def test_lockout_is_per_account(client, make_user):
    locked = make_user(register=[SHOP])
    bystander = make_user(register=[SHOP])
    fail_login(client, locked, TOO_MANY_ATTEMPTS)

    assert_status(client.login(login_request(bystander, SHOP)), 200)


def test_starting_a_lock_revokes_the_users_refresh_tokens(client, make_user):
    account = make_user(register=[SHOP])
    refresh_token = client.login(login_request(account, SHOP)).success_response["refreshToken"]

    fail_login(client, account, TOO_MANY_ATTEMPTS)

    assert_status(client.exchange_refresh_token_for_jwt({"refreshToken": refresh_token}), 400)
