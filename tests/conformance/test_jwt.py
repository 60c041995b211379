"""GET /api/jwt/validate and the JSON Web Key Set: a genuine access token validates and
shows its claims, a forged one is 401, and an HS256-only sidecar publishes no secret."""

import jwt as pyjwt

from harness import ISSUER, SHOP, TENANT_ID, assert_status, login_request, tamper


def test_validate_returns_the_claims_of_a_genuine_token(client, anon, make_user):
    account = make_user(register=[SHOP])
    token = client.login(login_request(account, SHOP)).success_response["token"]

    response = anon.validate_jwt(token)

    assert_status(response, 200)
    claims = response.success_response["jwt"]
    assert claims["sub"] == account.id
    assert claims["iss"] == ISSUER
    assert claims["aud"] == SHOP
    assert claims["tid"] == TENANT_ID
    assert claims["applicationId"] == SHOP


def test_validate_rejects_a_forged_token(client, anon, make_user):
    account = make_user(register=[SHOP])
    token = client.login(login_request(account, SHOP)).success_response["token"]

    assert_status(anon.validate_jwt(tamper(token)), 401)


def test_validate_rejects_a_token_signed_with_another_key(anon, make_user):
    account = make_user(register=[SHOP])
    forged = pyjwt.encode(
        {"sub": account.id, "iss": ISSUER, "aud": SHOP, "exp": 4102444800, "iat": 1700000000},
        "some-other-secret-that-is-long-enough",
        algorithm="HS256",
    )

    assert_status(anon.validate_jwt(forged), 401)


def test_validate_rejects_an_unsigned_token(anon, make_user):
    account = make_user(register=[SHOP])
    unsigned = pyjwt.encode({"sub": account.id, "iss": ISSUER, "exp": 4102444800}, None, algorithm="none")

    assert_status(anon.validate_jwt(unsigned), 401)


def test_jwks_publishes_no_symmetric_secret(anon):
    response = anon.retrieve_json_web_key_set()

    assert_status(response, 200)
    keys = response.success_response["keys"]
    assert isinstance(keys, list)
    for key in keys:
        assert key.get("kty") != "oct"
        assert "k" not in key and "d" not in key
