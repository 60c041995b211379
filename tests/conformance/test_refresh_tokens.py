"""POST /api/jwt/refresh and refresh-token revocation: reusable tokens (Shop) come back
unchanged, one-time-use tokens (Public) rotate and a reused old token revokes its whole
family; revocation by id and by user; unknown tokens are 400."""

import uuid

from harness import (
    PUBLIC,
    PUBLIC_JWT_TTL_SECONDS,
    SHOP,
    TENANT_JWT_TTL_SECONDS,
    assert_status,
    login_request,
    set_cookies,
)


def shop_login(client, account):
    response = client.login(login_request(account, SHOP))
    assert_status(response, 200)
    return response.success_response


def public_login(anon, account):
    response = anon.login(login_request(account, PUBLIC))
    assert_status(response, 200)
    return response.success_response


def refresh(client, refresh_token):
    return client.exchange_refresh_token_for_jwt({"refreshToken": refresh_token})


def test_refresh_issues_a_new_access_token(client, sidecar, make_user):
    account = make_user(register=[SHOP])
    login = shop_login(client, account)

    response = refresh(client, login["refreshToken"])

    assert_status(response, 200)
    body = response.success_response
    assert body["refreshTokenId"] == login["refreshTokenId"]
    claims = sidecar.claims(body["token"], audience=SHOP)
    assert claims["sub"] == account.id
    assert claims["applicationId"] == SHOP
    assert claims["authenticationType"] == "REFRESH_TOKEN"
    assert claims["exp"] - claims["iat"] == TENANT_JWT_TTL_SECONDS
    assert set_cookies(response)["access_token"].value == body["token"]


def test_refresh_needs_no_api_key(anon, make_user, client):
    account = make_user(register=[SHOP])
    login = shop_login(client, account)

    assert_status(refresh(anon, login["refreshToken"]), 200)


def test_reusable_refresh_token_comes_back_unchanged(client, make_user):
    account = make_user(register=[SHOP])
    login = shop_login(client, account)

    first = refresh(client, login["refreshToken"])
    second = refresh(client, login["refreshToken"])

    assert_status(first, 200)
    assert_status(second, 200)
    assert first.success_response["refreshToken"] == login["refreshToken"]
    assert second.success_response["refreshToken"] == login["refreshToken"]


def test_one_time_use_refresh_token_rotates(anon, sidecar, make_user):
    account = make_user(register=[PUBLIC])
    login = public_login(anon, account)

    rotated = refresh(anon, login["refreshToken"])

    assert_status(rotated, 200)
    body = rotated.success_response
    assert body["refreshToken"] != login["refreshToken"]
    assert body["refreshTokenId"] == login["refreshTokenId"]
    assert set_cookies(rotated)["refresh_token"].value == body["refreshToken"]
    claims = sidecar.claims(body["token"], audience=PUBLIC)
    assert claims["exp"] - claims["iat"] == PUBLIC_JWT_TTL_SECONDS
    again = refresh(anon, body["refreshToken"])
    assert_status(again, 200)
    assert again.success_response["refreshToken"] not in (login["refreshToken"], body["refreshToken"])


def test_reusing_a_rotated_token_fails_and_revokes_the_family(anon, make_user):
    account = make_user(register=[PUBLIC])
    original = public_login(anon, account)["refreshToken"]
    current = refresh(anon, original).success_response["refreshToken"]

    assert_status(refresh(anon, original), 400)

    assert_status(refresh(anon, current), 400)


def test_family_revocation_spares_the_users_other_sessions(anon, make_user):
    account = make_user(register=[PUBLIC])
    other_session = public_login(anon, account)["refreshToken"]
    original = public_login(anon, account)["refreshToken"]
    refresh(anon, original)

    assert_status(refresh(anon, original), 400)

    assert_status(refresh(anon, other_session), 200)


def test_unknown_refresh_token_is_400(anon):
    response = refresh(anon, "no-such-refresh-token-" + uuid.uuid4().hex)

    assert_status(response, 400)
    assert response.response.headers["Content-Type"].startswith("application/json")


def test_revoke_by_id(client, make_user):
    account = make_user(register=[SHOP])
    login = shop_login(client, account)

    assert_status(client.revoke_refresh_token_by_id(login["refreshTokenId"]), 200)

    assert_status(refresh(client, login["refreshToken"]), 400)


def test_revoke_by_id_needs_an_api_key(anon, client, make_user):
    account = make_user(register=[SHOP])
    login = shop_login(client, account)

    assert_status(anon.revoke_refresh_token_by_id(login["refreshTokenId"]), 401)

    assert_status(refresh(client, login["refreshToken"]), 200)


def test_revoke_all_of_a_users_tokens(client, anon, make_user):
    account = make_user(register=[SHOP, PUBLIC])
    tokens = [shop_login(client, account)["refreshToken"] for _ in range(2)]
    tokens.append(public_login(anon, account)["refreshToken"])
    bystander = make_user(register=[SHOP])
    bystander_token = shop_login(client, bystander)["refreshToken"]

    assert_status(client.revoke_refresh_tokens_by_user_id(account.id), 200)

    for token in tokens:
        assert_status(refresh(client, token), 400)
    assert_status(refresh(client, bystander_token), 200)
