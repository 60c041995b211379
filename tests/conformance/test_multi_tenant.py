"""Several tenants in one sidecar (its own process and config): a login that names neither
an application nor a tenant is 400 [TenantIdRequired]; X-FusionAuth-TenantId, an
application id, or a tenant-locked API key each scope the request; users are unique per
tenant only; and each tenant signs with its own key — Beta's ES256 tokens verify against
the published JWKS."""

import base64

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from harness import (
    DEFAULT_PASSWORD,
    assert_status,
    create_account,
    decode_hs256,
    random_hmac_secret,
    unique_email,
)

TENANT_A = "a1a1a1a1-6c0e-4f5e-9d8b-3c2a1b0f9e8d"
TENANT_B = "b2b2b2b2-6c0e-4f5e-9d8b-3c2a1b0f9e8d"
APP_A = "a1a1a1a1-1111-4f5e-9d8b-3c2a1b0f9e8d"
APP_B = "b2b2b2b2-2222-4f5e-9d8b-3c2a1b0f9e8d"
HS_KEY_ID = "a1a1a1a1-aaaa-4f5e-9d8b-3c2a1b0f9e8d"
ES_KEY_ID = "b2b2b2b2-bbbb-4f5e-9d8b-3c2a1b0f9e8d"
GLOBAL_KEY = "multi-tenant-global-key-0123456789"
BETA_ONLY_KEY = "multi-tenant-beta-locked-key-0123456789"
ISSUER_A = "alpha.test"
ISSUER_B = "beta.test"


def tenant(tenant_id, name, issuer, key_id, application_id, application_name):
    return {
        "id": tenant_id,
        "name": name,
        "issuer": issuer,
        "passwordEncryptionConfiguration": {
            "encryptionScheme": "salted-pbkdf2-hmac-sha256",
            "encryptionSchemeFactor": 1000,
        },
        "jwtConfiguration": {"accessTokenKeyId": key_id, "timeToLiveInSeconds": 600},
        "applications": [
            {
                "id": application_id,
                "name": application_name,
                "loginConfiguration": {"requireAuthentication": True},
                "roles": [{"name": "member", "isDefault": True}],
            }
        ],
    }


class MultiTenant:
    def __init__(self, sidecar, hmac_secret: str, es_private_key):
        self.sidecar = sidecar
        self.hmac_secret = hmac_secret
        self.es_private_key = es_private_key

    def client(self, tenant_id=None, api_key=GLOBAL_KEY):
        return self.sidecar.client(api_key=api_key, tenant_id=tenant_id)


@pytest.fixture(scope="module")
def multi(launch_sidecar):
    hmac_secret = random_hmac_secret()
    es_private_key = ec.generate_private_key(ec.SECP256R1())
    es_pem = es_private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()

    def make_config(port, database_url):
        return {
            "listen": f"127.0.0.1:{port}",
            "database": {"url": database_url},
            "apiKeys": [{"key": GLOBAL_KEY}, {"key": BETA_ONLY_KEY, "tenantId": TENANT_B}],
            "keys": [
                {"id": HS_KEY_ID, "algorithm": "HS256", "secret": hmac_secret},
                {"id": ES_KEY_ID, "algorithm": "ES256", "privateKey": es_pem},
            ],
            "tenants": [
                tenant(TENANT_A, "Alpha", ISSUER_A, HS_KEY_ID, APP_A, "Alpha App"),
                tenant(TENANT_B, "Beta", ISSUER_B, ES_KEY_ID, APP_B, "Beta App"),
            ],
        }

    sidecar = launch_sidecar(make_config, "multi-tenant")
    yield MultiTenant(sidecar, hmac_secret, es_private_key)
    sidecar.stop()


def user_in(multi, tenant_id, application_id, **options):
    return create_account(multi.client(tenant_id), register=[application_id], **options)


def test_login_naming_no_tenant_is_tenant_id_required(multi):
    account = user_in(multi, TENANT_A, APP_A)

    response = multi.client().login({"loginId": account.email, "password": account.password})

    assert_status(response, 400)
    assert response.error_response["generalErrors"][0]["code"] == "[TenantIdRequired]"


def test_tenant_header_scopes_the_login(multi):
    account = user_in(multi, TENANT_A, APP_A)

    response = multi.client(TENANT_A).login({"loginId": account.email, "password": account.password})

    assert_status(response, 200)
    claims = decode_hs256(response.success_response["token"], base64.b64decode(multi.hmac_secret))
    assert claims["sub"] == account.id
    assert claims["tid"] == TENANT_A
    assert claims["iss"] == ISSUER_A


def test_tenant_header_of_another_tenant_does_not_find_the_user(multi):
    account = user_in(multi, TENANT_A, APP_A)

    response = multi.client(TENANT_B).login({"loginId": account.email, "password": account.password})

    assert_status(response, 404)


def test_application_id_identifies_the_tenant(multi):
    account = user_in(multi, TENANT_A, APP_A)

    response = multi.client().login({"loginId": account.email, "password": account.password, "applicationId": APP_A})

    assert_status(response, 200)
    assert response.success_response["user"]["tenantId"] == TENANT_A


def test_the_same_email_is_a_different_user_in_each_tenant(multi):
    email = unique_email("twin")
    alpha = user_in(multi, TENANT_A, APP_A, email=email, password="alpha-password-1")
    beta = user_in(multi, TENANT_B, APP_B, email=email, password="beta-password-2")
    assert alpha.id != beta.id

    as_alpha = multi.client(TENANT_A).login({"loginId": email, "password": "alpha-password-1"})
    as_beta = multi.client(TENANT_B).login({"loginId": email, "password": "beta-password-2"})
    crossed = multi.client(TENANT_A).login({"loginId": email, "password": "beta-password-2"})

    assert_status(as_alpha, 200)
    assert_status(as_beta, 200)
    assert as_alpha.success_response["user"]["id"] == alpha.id
    assert as_beta.success_response["user"]["id"] == beta.id
    assert_status(crossed, 404)


def test_tenant_locked_key_only_sees_its_tenant(multi):
    alpha = user_in(multi, TENANT_A, APP_A)
    beta = user_in(multi, TENANT_B, APP_B)
    locked = multi.client(api_key=BETA_ONLY_KEY)

    assert_status(locked.login({"loginId": alpha.email, "password": alpha.password}), 404)
    response = locked.login({"loginId": beta.email, "password": beta.password})
    assert_status(response, 200)
    assert response.success_response["user"]["id"] == beta.id


def test_tenant_locked_key_creates_users_in_its_tenant(multi):
    response = multi.client(api_key=BETA_ONLY_KEY).create_user(
        {"user": {"email": unique_email("locked"), "password": DEFAULT_PASSWORD}}
    )

    assert_status(response, 200)
    assert response.success_response["user"]["tenantId"] == TENANT_B


def test_creating_a_user_naming_no_tenant_is_tenant_id_required(multi):
    response = multi.client().create_user({"user": {"email": unique_email("nowhere"), "password": DEFAULT_PASSWORD}})

    assert_status(response, 400)
    assert response.error_response["generalErrors"][0]["code"] == "[TenantIdRequired]"


def test_es256_tokens_verify_against_the_published_jwks(multi):
    account = user_in(multi, TENANT_B, APP_B)
    login = multi.client(TENANT_B).login({"loginId": account.email, "password": account.password, "applicationId": APP_B})
    assert_status(login, 200)
    token = login.success_response["token"]

    jwks = multi.client(api_key=None).retrieve_json_web_key_set()
    assert_status(jwks, 200)
    header = pyjwt.get_unverified_header(token)
    assert header["alg"] == "ES256"
    published = pyjwt.PyJWKSet.from_dict(jwks.success_response)[header["kid"]]
    assert published.key.public_numbers() == multi.es_private_key.public_key().public_numbers()
    claims = pyjwt.decode(token, published.key, algorithms=["ES256"], audience=APP_B, leeway=5)
    assert claims["sub"] == account.id
    assert claims["iss"] == ISSUER_B
    assert claims["tid"] == TENANT_B
    assert claims["applicationId"] == APP_B
    assert claims["roles"] == ["member"]
    assert claims["authenticationType"] == "PASSWORD"


def test_jwks_publishes_only_public_keys(multi):
    response = multi.client(api_key=None).retrieve_json_web_key_set()

    assert_status(response, 200)
    keys = response.success_response["keys"]
    assert [key["kty"] for key in keys] == ["EC"]
    assert keys[0]["crv"] == "P-256"
    assert "d" not in keys[0]
    assert keys[0]["kid"]


def test_validate_accepts_an_es256_token(multi):
    account = user_in(multi, TENANT_B, APP_B)
    token = multi.client(TENANT_B).login(
        {"loginId": account.email, "password": account.password, "applicationId": APP_B}
    ).success_response["token"]

    response = multi.client(api_key=None).validate_jwt(token)

    assert_status(response, 200)
    assert response.success_response["jwt"]["sub"] == account.id
