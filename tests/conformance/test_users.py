"""The User and Registration APIs the login family relies on: create, register (alone and
combined with create), retrieve, deactivate, hard delete, and their validation errors."""

import uuid

from harness import (
    DEFAULT_PASSWORD,
    PUBLIC,
    SHOP,
    TENANT_ID,
    assert_status,
    create_account,
    login_request,
    unique_email,
)


def test_create_user_returns_the_active_user_without_its_password(client):
    email = unique_email()

    response = client.create_user(
        {"user": {"email": email, "password": DEFAULT_PASSWORD, "firstName": "Ada", "lastName": "Lovelace"}}
    )

    assert_status(response, 200)
    user = response.success_response["user"]
    uuid.UUID(user["id"])
    assert user["email"] == email
    assert user["active"] is True
    assert user["tenantId"] == TENANT_ID
    assert user["firstName"] == "Ada"
    assert user["lastName"] == "Lovelace"
    assert "password" not in user
    assert DEFAULT_PASSWORD not in response.response.text


def test_create_user_with_a_chosen_id_keeps_it(client):
    user_id = str(uuid.uuid4())

    response = client.create_user({"user": {"email": unique_email(), "password": DEFAULT_PASSWORD}}, user_id)

    assert_status(response, 200)
    assert response.success_response["user"]["id"] == user_id


def test_register_an_existing_user_returns_registration_and_user(client, make_user):
    account = make_user()

    response = client.register({"registration": {"applicationId": SHOP, "roles": ["admin"]}}, account.id)

    assert_status(response, 200)
    body = response.success_response
    assert body["registration"]["applicationId"] == SHOP
    assert body["registration"]["roles"] == ["admin"]
    assert body["user"]["id"] == account.id


def test_registration_without_roles_gets_the_default_roles(client, sidecar, make_user):
    account = make_user(register=[SHOP])

    response = client.login(login_request(account, SHOP))

    assert_status(response, 200)
    claims = sidecar.claims(response.success_response["token"], audience=SHOP)
    assert claims["roles"] == ["user"]


def test_registration_with_roles_grants_exactly_those_roles(client, sidecar, make_user):
    account = make_user(register=[SHOP], roles=["admin"])

    response = client.login(login_request(account, SHOP))

    assert_status(response, 200)
    claims = sidecar.claims(response.success_response["token"], audience=SHOP)
    assert claims["roles"] == ["admin"]


def test_combined_create_and_register_in_one_call(client, sidecar):
    email = unique_email()

    response = client.register(
        {
            "user": {"email": email, "password": DEFAULT_PASSWORD},
            "registration": {"applicationId": SHOP, "roles": ["user", "admin"]},
        }
    )

    assert_status(response, 200)
    body = response.success_response
    user_id = body["user"]["id"]
    assert body["user"]["email"] == email
    assert body["registration"]["applicationId"] == SHOP
    login = client.login({"loginId": email, "password": DEFAULT_PASSWORD, "applicationId": SHOP})
    assert_status(login, 200)
    claims = sidecar.claims(login.success_response["token"], audience=SHOP)
    assert claims["sub"] == user_id
    assert sorted(claims["roles"]) == ["admin", "user"]


def test_retrieve_user_by_id_and_by_login_id(client, make_user):
    account = make_user(register=[SHOP])

    by_id = client.retrieve_user(account.id)
    by_login_id = client.retrieve_user_by_login_id(account.email)

    assert_status(by_id, 200)
    assert_status(by_login_id, 200)
    assert by_id.success_response["user"]["email"] == account.email
    assert by_login_id.success_response["user"]["id"] == account.id
    registrations = by_id.success_response["user"].get("registrations", [])
    assert [r["applicationId"] for r in registrations] == [SHOP]
    assert "password" not in by_id.success_response["user"]


def test_retrieve_unknown_user_is_404(client):
    assert_status(client.retrieve_user(str(uuid.uuid4())), 404)


def test_deactivated_user_cannot_log_in(client, make_user):
    account = make_user(register=[SHOP])

    assert_status(client.deactivate_user(account.id), 200)

    assert client.retrieve_user(account.id).success_response["user"]["active"] is False
    login = client.login(login_request(account, SHOP))
    assert_status(login, 423)
    assert login.response.content == b""


def test_hard_deleted_user_is_gone(client, make_user):
    account = make_user(register=[SHOP])

    assert_status(client.delete_user(account.id), 200)

    assert_status(client.retrieve_user(account.id), 404)
    login = client.login(login_request(account, SHOP))
    assert_status(login, 404)
    assert login.response.content == b""


def test_duplicate_email_is_a_field_error(client, make_user):
    account = make_user()

    response = client.create_user({"user": {"email": account.email, "password": DEFAULT_PASSWORD}})

    assert_status(response, 400)
    errors = response.error_response["fieldErrors"]["user.email"]
    assert errors[0]["code"] == "[duplicate]user.email"


def test_short_password_is_a_field_error(client):
    response = client.create_user({"user": {"email": unique_email(), "password": "short"}})

    assert_status(response, 400)
    errors = response.error_response["fieldErrors"]["user.password"]
    assert errors[0]["code"] == "[tooShort]user.password"


def test_user_api_requires_an_api_key(anon):
    response = anon.create_user({"user": {"email": unique_email(), "password": DEFAULT_PASSWORD}})

    assert_status(response, 401)


def test_a_user_may_register_for_several_applications(client, anon):
    account = create_account(client, register=[SHOP, PUBLIC])

    assert_status(client.login(login_request(account, SHOP)), 200)
    assert_status(anon.login(login_request(account, PUBLIC)), 200)
