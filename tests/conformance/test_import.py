"""POST /api/user/import: users arrive with FusionAuth password hashes (salted-sha256,
bcrypt) or plaintext, keep their registrations, and — as in FusionAuth — are inactive
unless the import says `active: true`."""

from harness import SHOP, assert_status, unique_email

SALTED_SHA256 = {
    "password": "NF+m8S+f16RR3RhYkz90y2heRjC6SwFoVT9pFNby6/E=",
    "encryptionScheme": "salted-sha256",
    "factor": 20000,
    "salt": "MmE5M2Y2NzQtYjQ0ZS00Yzk5LWIxZDQtMjA4MTE3ZGQwMTM0",
}
SALTED_SHA256_PLAINTEXT = "q"

BCRYPT = {
    "password": "/c.ogvhgJ6E3lmFF6aOuN0oBkE.K0li",
    "encryptionScheme": "bcrypt",
    "factor": 10,
    "salt": "4dxOxdfSRHVFsdU9HCRRUe",
}
BCRYPT_PLAINTEXT = "password123"


def import_one(client, **user):
    response = client.import_users({"users": [user]})
    assert_status(response, 200)


def login(client, email, password, application_id=None):
    body = {"loginId": email, "password": password}
    if application_id:
        body["applicationId"] = application_id
    return client.login(body)


def test_salted_sha256_user_logs_in_with_the_original_password(client):
    email = unique_email("sha256")
    import_one(client, email=email, active=True, **SALTED_SHA256)

    assert_status(login(client, email, SALTED_SHA256_PLAINTEXT), 200)
    assert_status(login(client, email, "not-q"), 404)


def test_bcrypt_user_logs_in_with_the_original_password(client):
    email = unique_email("bcrypt")
    import_one(client, email=email, active=True, **BCRYPT)

    assert_status(login(client, email, BCRYPT_PLAINTEXT), 200)
    assert_status(login(client, email, "password124"), 404)


def test_imported_registrations_are_kept(client, sidecar):
    email = unique_email("registered")
    import_one(
        client,
        email=email,
        active=True,
        registrations=[{"applicationId": SHOP, "roles": ["admin"]}],
        **SALTED_SHA256,
    )

    response = login(client, email, SALTED_SHA256_PLAINTEXT, SHOP)

    assert_status(response, 200)
    claims = sidecar.claims(response.success_response["token"], audience=SHOP)
    assert claims["roles"] == ["admin"]
    assert response.success_response["refreshToken"]


def test_imported_user_without_active_is_inactive(client):
    email = unique_email("inactive")
    import_one(client, email=email, **SALTED_SHA256)

    response = login(client, email, SALTED_SHA256_PLAINTEXT)

    assert_status(response, 423)


def test_imported_plaintext_password_is_hashed_and_works(client):
    email = unique_email("plaintext")
    import_one(client, email=email, active=True, password="plain-text-password-1")

    assert_status(login(client, email, "plain-text-password-1"), 200)


def test_several_users_import_in_one_request(client):
    emails = [unique_email("batch") for _ in range(3)]

    response = client.import_users({"users": [{"email": e, "active": True, **BCRYPT} for e in emails]})

    assert_status(response, 200)
    for email in emails:
        assert_status(login(client, email, BCRYPT_PLAINTEXT), 200)


def test_import_needs_an_api_key(anon):
    response = anon.import_users({"users": [{"email": unique_email("anon"), "active": True, **BCRYPT}]})

    assert_status(response, 401)
