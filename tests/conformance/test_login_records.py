"""Login records: every successful login is recorded, searchable with the official
client's `search_login_records`, and exportable as FusionAuth's zipped CSV (through plain
HTTP: the Python client has no export method)."""

import io
import zipfile

import requests

from harness import API_KEY, HTTP_TIMEOUT_SECONDS, SHOP, assert_status, login_request

HEADER = (
    '"User Id ","Identity value ","Identity type ","Time ","Application Id ","IP Address ",'
    '"City ","Country ","Zipcode ","Region ","Latitude ","Longitude "'
)


def search(client, **criteria):
    response = client.search_login_records({"search": criteria, "retrieveTotal": True})
    assert_status(response, 200)
    return response.success_response


def test_each_successful_login_is_recorded_and_failures_are_not(client, make_user):
    account = make_user(register=[SHOP])
    assert_status(client.login(login_request(account, SHOP, ipAddress="203.0.113.5")), 200)
    assert_status(client.login(login_request(account, SHOP, password="wrong-password")), 404)
    assert_status(client.login_ping(account.id, SHOP, "203.0.113.6"), 200)

    found = search(client, userId=account.id)

    # creation with a password, the password login, the ping; not the failure
    assert found["total"] == 3
    newest = found["logins"][0]
    assert newest["ipAddress"] == "203.0.113.6"
    login = found["logins"][1]
    assert login["applicationId"] == SHOP
    assert login["applicationName"] == "Shop"
    assert login["loginId"] == account.email
    assert login["ipAddress"] == "203.0.113.5"
    assert found["logins"][0]["instant"] >= login["instant"]


def test_search_pages_without_total_unless_asked(client, make_user):
    account = make_user(register=[SHOP])
    for _ in range(3):
        assert_status(client.login(login_request(account, SHOP)), 200)

    first = client.search_login_records({"search": {"userId": account.id, "numberOfResults": 2}})
    second = client.search_login_records({"search": {"userId": account.id, "numberOfResults": 2, "startRow": 2}})

    assert "total" not in first.success_response
    pages = first.success_response["logins"] + second.success_response["logins"]
    assert len(pages) == 4
    instants = [r["instant"] for r in pages]
    assert instants == sorted(instants, reverse=True), "newest first across pages"


def test_bad_criteria_are_rejected_with_field_errors(client):
    response = client.search_login_records({"search": {"userId": "not-a-uuid", "numberOfResults": -5}})

    assert_status(response, 400)
    assert set(response.error_response["fieldErrors"]) == {"search.userId", "search.numberOfResults"}


def test_search_needs_an_api_key(anon):
    assert_status(anon.search_login_records({"search": {}}), 401)


def test_export_is_a_zip_with_fusionauth_csv(sidecar, client, make_user):
    account = make_user(register=[SHOP])
    assert_status(client.login(login_request(account, SHOP, ipAddress="203.0.113.7")), 200)

    response = requests.post(
        sidecar.url("/api/system/login-record/export"),
        json={"criteria": {"userId": account.id}, "zoneId": "UTC", "dateTimeSecondsFormat": "yyyy-MM-dd'T'HH:mm:ssX"},
        headers={"Authorization": API_KEY},
        timeout=HTTP_TIMEOUT_SECONDS,
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    lines = archive.read(archive.namelist()[0]).decode().splitlines()
    assert lines[0] == HEADER
    rows = [line.split(",") for line in lines[1:]]
    assert len(rows) == 2
    user_id, identity, identity_type, time, application_id, ip = rows[0][:6]
    assert (user_id, identity, identity_type) == (account.id, account.email, "email")
    assert application_id == SHOP and ip == "203.0.113.7"
    assert time.endswith("Z") and time[4] == "-" and time[10] == "T"


def test_export_rejects_unknown_zones_and_pattern_letters(sidecar):
    for params, field in [({"zoneId": "Mars/Olympus"}, "zoneId"), ({"dateTimeSecondsFormat": "GGG yyyy"}, "dateTimeSecondsFormat")]:
        response = requests.get(
            sidecar.url("/api/system/login-record/export"),
            params=params,
            headers={"Authorization": API_KEY},
            timeout=HTTP_TIMEOUT_SECONDS,
        )
        assert response.status_code == 400
        assert field in response.json()["fieldErrors"]
