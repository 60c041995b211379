"""Two-factor authentication with an authenticator app: secrets, enabling with a TOTP code
(RFC 6238, computed here), the 242 challenge, completing it with a TOTP or recovery code
(421 for a wrong one, 404 for an unknown or spent twoFactorId), replay protection, and
trusted computers (body id and fusionauth.trust cookie).

A TOTP code cannot be used twice, so the one test that completes a login with a TOTP code
uses a user enabled at module start and, if needed, waits for the next 30-second step;
everything else completes with recovery codes.
"""

import base64
import pytest
import requests

from harness import (
    HTTP_TIMEOUT_SECONDS,
    SHOP,
    assert_status,
    create_account,
    enable_authenticator,
    keys_anywhere,
    login_request,
    set_cookies,
    totp_code,
    totp_code_for_step,
    fresh_totp_step,
    totp_step,
    wrong_totp_code,
)


def begin_login(client, account, application_id=SHOP, **extra) -> str:
    """Log in with the password and return the twoFactorId of the 242 challenge."""
    response = client.login(login_request(account, application_id, **extra))
    assert_status(response, 242)
    return response.success_response["twoFactorId"]


@pytest.fixture
def mfa_user(client):
    return enable_authenticator(client, create_account(client, register=[SHOP]))


@pytest.fixture(scope="module", autouse=True)
def totp_user(sidecar):
    """Enabled when the module starts, so its next TOTP step has usually begun by the time
    the last test needs it."""
    client = sidecar.client()
    return enable_authenticator(client, create_account(client, register=[SHOP]))


def test_totp_helper_matches_rfc6238_vectors():
    key = base64.b64encode(b"12345678901234567890").decode()
    for at, expected in [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]:
        assert totp_code(key, at) == expected


def test_generated_secret_is_one_key_in_two_encodings(client):
    response = client.generate_two_factor_secret()

    assert_status(response, 200)
    body = response.success_response
    key = base64.b64decode(body["secret"], validate=True)
    base32 = body["secretBase32Encoded"].replace(" ", "").upper()
    assert base64.b32decode(base32 + "=" * (-len(base32) % 8)) == key
    assert len(key) >= 16


def test_enabling_returns_ten_distinct_recovery_codes(mfa_user):
    codes = mfa_user.recovery_codes

    assert len(codes) == 10
    assert len(set(codes)) == 10


def test_enabling_with_a_wrong_code_fails_and_leaves_login_unchallenged(client, make_user):
    account = make_user(register=[SHOP])
    secret = client.generate_two_factor_secret().success_response["secret"]
    wrong = wrong_totp_code(base64.b64decode(secret), totp_step())

    response = client.enable_two_factor(account.id, {"method": "authenticator", "code": wrong, "secret": secret})

    assert 400 <= response.status < 500
    assert_status(client.login(login_request(account, SHOP)), 200)


def test_login_is_challenged_with_242_and_reveals_no_secret(client, mfa_user):
    response = client.login(login_request(mfa_user.account, SHOP))

    assert_status(response, 242)
    body = response.success_response
    assert body["twoFactorId"]
    assert body["methods"][0]["method"] == "authenticator"
    assert body["methods"][0]["id"]
    assert "token" not in body and "refreshToken" not in body
    assert not [key for key in keys_anywhere(body) if "secret" in key.lower()]
    assert mfa_user.secret not in response.response.text
    assert mfa_user.secret_base32 not in response.response.text
    cookies = set_cookies(response)
    assert "access_token" not in cookies and "refresh_token" not in cookies


def test_recovery_code_completes_a_login_only_once(client, sidecar, mfa_user):
    first, second = mfa_user.recovery_codes[:2]

    completed = client.two_factor_login({"twoFactorId": begin_login(client, mfa_user.account), "code": first})
    assert_status(completed, 200)
    assert sidecar.claims(completed.success_response["token"])["sub"] == mfa_user.account.id

    two_factor_id = begin_login(client, mfa_user.account)
    assert_status(client.two_factor_login({"twoFactorId": two_factor_id, "code": first}), 421)
    assert_status(client.two_factor_login({"twoFactorId": two_factor_id, "code": second}), 200)


def test_completing_with_an_application_issues_its_tokens(client, sidecar, mfa_user):
    two_factor_id = begin_login(client, mfa_user.account)

    response = client.two_factor_login(
        {"twoFactorId": two_factor_id, "code": mfa_user.recovery_codes[0], "applicationId": SHOP}
    )

    assert_status(response, 200)
    body = response.success_response
    claims = sidecar.claims(body["token"], audience=SHOP)
    assert claims["sub"] == mfa_user.account.id
    assert claims["applicationId"] == SHOP
    assert body["refreshToken"]
    cookies = set_cookies(response)
    assert cookies["access_token"].http_only
    assert cookies["refresh_token"].value == body["refreshToken"]


def test_spent_two_factor_id_is_404(client, mfa_user):
    two_factor_id = begin_login(client, mfa_user.account)
    assert_status(client.two_factor_login({"twoFactorId": two_factor_id, "code": mfa_user.recovery_codes[0]}), 200)

    again = client.two_factor_login({"twoFactorId": two_factor_id, "code": mfa_user.recovery_codes[1]})

    assert_status(again, 404)


def test_unknown_two_factor_id_is_404(anon):
    response = anon.two_factor_login({"twoFactorId": "bogus-two-factor-id", "code": "123456"})

    assert_status(response, 404)
    assert response.response.content == b""


def test_missing_code_is_a_field_error(client, mfa_user):
    response = client.two_factor_login({"twoFactorId": begin_login(client, mfa_user.account)})

    assert_status(response, 400)
    assert response.error_response["fieldErrors"]["code"][0]["code"] == "[blank]code"


def test_trusting_the_computer_skips_the_next_challenge(client, mfa_user):
    two_factor_id = begin_login(client, mfa_user.account)

    completed = client.two_factor_login(
        {"twoFactorId": two_factor_id, "code": mfa_user.recovery_codes[0], "trustComputer": True}
    )

    assert_status(completed, 200)
    trust_id = completed.success_response["twoFactorTrustId"]
    assert trust_id
    trust_cookie = set_cookies(completed)["fusionauth.trust"]
    assert trust_cookie.value == trust_id
    assert trust_cookie.http_only
    trusted = client.login(login_request(mfa_user.account, SHOP, twoFactorTrustId=trust_id))
    assert_status(trusted, 200)
    assert trusted.success_response["token"]


def test_trust_cookie_skips_the_challenge(client, sidecar, mfa_user):
    two_factor_id = begin_login(client, mfa_user.account)
    completed = client.two_factor_login(
        {"twoFactorId": two_factor_id, "code": mfa_user.recovery_codes[0], "trustComputer": True}
    )
    trust_id = completed.success_response["twoFactorTrustId"]

    response = requests.post(
        sidecar.url("/api/login"),
        json=login_request(mfa_user.account, SHOP),
        headers={"Authorization": sidecar.api_key},
        cookies={"fusionauth.trust": trust_id},
        timeout=HTTP_TIMEOUT_SECONDS,
    )

    assert_status(response, 200)
    assert response.json()["token"]


def test_one_users_trust_does_not_skip_another_users_challenge(client, mfa_user):
    other = enable_authenticator(client, create_account(client, register=[SHOP]))
    completed = client.two_factor_login(
        {"twoFactorId": begin_login(client, mfa_user.account), "code": mfa_user.recovery_codes[0], "trustComputer": True}
    )
    trust_id = completed.success_response["twoFactorTrustId"]

    response = client.login(login_request(other.account, SHOP, twoFactorTrustId=trust_id))

    assert_status(response, 242)


def test_totp_code_completes_a_login_once_and_cannot_be_replayed(client, sidecar, totp_user):
    """Kept last in the module: it may wait for the TOTP step after the enabling code's."""
    two_factor_id = begin_login(client, totp_user.account)
    key = base64.b64decode(totp_user.secret)
    step = fresh_totp_step(after_step=totp_user.enabled_at_step)
    code = totp_code_for_step(key, step)
    wrong = wrong_totp_code(key, step)

    assert_status(client.two_factor_login({"twoFactorId": two_factor_id, "code": wrong}), 421)
    completed = client.two_factor_login({"twoFactorId": two_factor_id, "code": code})
    assert_status(completed, 200)
    claims = sidecar.claims(completed.success_response["token"])
    assert claims["sub"] == totp_user.account.id

    replay = client.two_factor_login({"twoFactorId": begin_login(client, totp_user.account), "code": code})
    assert_status(replay, 421)
