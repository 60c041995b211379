"""Plumbing for the conformance suite: the sidecar process, its configuration, and the
small protocol helpers (TOTP, Set-Cookie parsing, JWT decoding) the tests share.

Nothing here asserts FusionAuth behaviour; the test modules do. Configuration documents
are written as JSON, which is a subset of YAML, so no YAML library is needed.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import socket
import struct
import subprocess
import time
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable

import jwt
import requests
from fusionauth.fusionauth_client import FusionAuthClient

# ---------------------------------------------------------------------------------------
# Identifiers of the default single-tenant configuration.

API_KEY = "conformance-api-key-0123456789"
KEY_ID = "0d3b8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d"
TENANT_ID = "6b9a8a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d"
ISSUER = "authlet.test"
SHOP = "3c218a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d"
PUBLIC = "4d328a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d"
VERIFIED = "5e438a57-6c0e-4f5e-9d8b-3c2a1b0f9e8d"

TENANT_JWT_TTL_SECONDS = 600
TENANT_REFRESH_TTL_MINUTES = 60
PUBLIC_JWT_TTL_SECONDS = 120
PUBLIC_REFRESH_TTL_MINUTES = 30

DEFAULT_PASSWORD = "correct-horse-42"
HTTP_TIMEOUT_SECONDS = 20
READY_TIMEOUT_SECONDS = 30
RELOAD_TIMEOUT_SECONDS = 15


def random_hmac_secret() -> str:
    """Base64 of 32 random bytes: an HS256 signing secret."""
    return base64.b64encode(os.urandom(32)).decode()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def new_database_url(workdir: Path) -> str:
    """A fresh database for one sidecar: a SQLite file in `workdir`, or, when
    AUTHLET_CONFORMANCE_POSTGRES_URL names a PostgreSQL server, a new database on it (so
    the whole suite can run against either backend)."""
    server = os.environ.get("AUTHLET_CONFORMANCE_POSTGRES_URL")
    if not server:
        return f"sqlite://{workdir / 'authlet.db'}"
    name = f"authlet_test_{uuid.uuid4().hex}"
    subprocess.run(["psql", server, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"], check=True)
    return f"{server.rsplit('/', 1)[0]}/{name}"


def default_config(port: int, database_url: str, hmac_secret: str) -> dict:
    """The suite's standard configuration: one tenant, three applications."""
    return {
        "listen": f"127.0.0.1:{port}",
        "database": {"url": database_url},
        "apiKeys": [{"key": API_KEY}],
        "keys": [{"id": KEY_ID, "algorithm": "HS256", "secret": hmac_secret}],
        "tenants": [
            {
                "id": TENANT_ID,
                "name": "Default",
                "issuer": ISSUER,
                "passwordEncryptionConfiguration": {
                    "encryptionScheme": "salted-pbkdf2-hmac-sha256",
                    "encryptionSchemeFactor": 1000,
                },
                "externalIdentifierConfiguration": {"twoFactorIdTimeToLiveInSeconds": 300},
                "jwtConfiguration": {
                    "timeToLiveInSeconds": TENANT_JWT_TTL_SECONDS,
                    "refreshTokenTimeToLiveInMinutes": TENANT_REFRESH_TTL_MINUTES,
                },
                "applications": [
                    {
                        "id": SHOP,
                        "name": "Shop",
                        "loginConfiguration": {
                            "requireAuthentication": True,
                            "generateRefreshTokens": True,
                            "allowTokenRefresh": True,
                        },
                        "roles": [{"name": "user", "isDefault": True}, {"name": "admin"}],
                    },
                    {
                        "id": PUBLIC,
                        "name": "Public",
                        "loginConfiguration": {
                            "requireAuthentication": False,
                            "generateRefreshTokens": True,
                            "allowTokenRefresh": True,
                        },
                        "jwtConfiguration": {
                            "enabled": True,
                            "timeToLiveInSeconds": PUBLIC_JWT_TTL_SECONDS,
                            "refreshTokenTimeToLiveInMinutes": PUBLIC_REFRESH_TTL_MINUTES,
                            "refreshTokenUsagePolicy": "OneTimeUse",
                        },
                    },
                    {
                        "id": VERIFIED,
                        "name": "Verified",
                        "verifyRegistration": True,
                        "loginConfiguration": {"requireAuthentication": True},
                    },
                ],
            }
        ],
    }


def application_config(config: dict, application_id: str) -> dict:
    """The (mutable) application entry with this id, in any tenant of `config`."""
    for tenant in config["tenants"]:
        for application in tenant.get("applications", []):
            if application["id"] == application_id:
                return application
    raise KeyError(application_id)


def write_config_atomically(path: Path, config: dict | str) -> None:
    """Replace `path` in one rename, as a careful writer (or the kubelet) does."""
    text = config if isinstance(config, str) else json.dumps(config, indent=2)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


# ---------------------------------------------------------------------------------------
# The client under test.


class ConformanceClient(FusionAuthClient):
    """FusionAuth's official client, unchanged except for a finite HTTP timeout (its
    default is 1000 s), so a hung sidecar fails a test instead of stalling the run."""

    def start_anonymous(self):
        return super().start_anonymous().connect_timeout(HTTP_TIMEOUT_SECONDS)


# ---------------------------------------------------------------------------------------
# The sidecar process.


def sidecar_binary() -> Path:
    """AUTHLET_SIDECAR_BIN, else the workspace's debug build."""
    configured = os.environ.get("AUTHLET_SIDECAR_BIN")
    if configured:
        return Path(configured)
    repo = Path(__file__).resolve().parents[2]
    target = Path(os.environ.get("CARGO_TARGET_DIR", repo / "target"))
    return target / "debug" / "authlet-sidecar"


class SidecarFailed(AssertionError):
    pass


class Sidecar:
    """One running `authlet-sidecar --config PATH` and what the tests need to talk to it."""

    def __init__(self, binary: Path, workdir: Path, config: dict, config_path: Path | None = None):
        self.binary = binary
        self.workdir = workdir
        self.config = copy.deepcopy(config)
        self.original_config = copy.deepcopy(config)
        self.config_path = config_path or workdir / "config.yaml"
        self.log_path = workdir / "sidecar.log"
        self.base_url = f"http://{config['listen']}"
        self.api_key = config["apiKeys"][0]["key"] if config.get("apiKeys") else None
        self.process: subprocess.Popen | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def start(self, write_config: bool = True) -> "Sidecar":
        if not self.binary.exists():
            raise SidecarFailed(
                f"sidecar binary not found at {self.binary}; build it with "
                "`cargo build -p authlet-sidecar` or set AUTHLET_SIDECAR_BIN"
            )
        if write_config:
            write_config_atomically(self.config_path, self.config)
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                # No shutdown delay: nothing routes traffic here, and each test stops a sidecar.
                [str(self.binary), "--config", str(self.config_path), "--shutdown-delay", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.workdir,
            )
        finally:
            log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        last_problem = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SidecarFailed(
                    f"sidecar exited with {self.process.returncode} before it was ready\n"
                    + self.log_tail()
                )
            try:
                response = requests.get(f"{self.base_url}/readyz", timeout=1)
                if response.status_code == 200:
                    return
                last_problem = f"/readyz answered {response.status_code}"
            except requests.RequestException as error:
                last_problem = repr(error)
            time.sleep(0.1)
        self.stop()
        raise SidecarFailed(
            f"sidecar not ready within {READY_TIMEOUT_SECONDS}s ({last_problem})\n" + self.log_tail()
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no sidecar log)"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- sidecar log ({self.log_path}) ---\n{tail}\n--- end of sidecar log ---"

    # -- configuration -----------------------------------------------------------------

    def reload(
        self,
        new_config: dict | str,
        until: Callable[[], bool],
        timeout: float = RELOAD_TIMEOUT_SECONDS,
    ) -> float:
        """Rewrite the config file atomically, then wait until `until()` holds.

        Returns how long the change took to become observable, in seconds.
        """
        if isinstance(new_config, dict):
            self.config = copy.deepcopy(new_config)
        write_config_atomically(self.config_path, new_config)
        return wait_for(until, timeout, describe="config reload", on_timeout=self.log_tail)

    # -- talking to it -----------------------------------------------------------------

    def client(self, api_key: str | None = "default", tenant_id: str | None = None) -> ConformanceClient:
        """An official client for this sidecar; api_key=None sends no Authorization header."""
        client = ConformanceClient(self.api_key if api_key == "default" else api_key, self.base_url)
        if tenant_id:
            client.set_tenant_id(tenant_id)
        return client

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def hmac_secret(self, key_id: str = KEY_ID) -> bytes:
        for key in self.config["keys"]:
            if key["id"] == key_id:
                return base64.b64decode(key["secret"])
        raise KeyError(key_id)

    def claims(self, token: str, audience: str | None = None, key_id: str = KEY_ID) -> dict:
        """Verify an HS256 access token with the configured secret and return its claims."""
        return decode_hs256(token, self.hmac_secret(key_id), audience)


def wait_for(
    predicate: Callable[[], bool],
    timeout: float,
    describe: str,
    on_timeout: Callable[[], str] = lambda: "",
    interval: float = 0.2,
) -> float:
    """Poll `predicate` until it is true; returns the seconds waited."""
    started = time.monotonic()
    last_error = None
    while True:
        try:
            if predicate():
                return time.monotonic() - started
        except Exception as error:  # a poll may race a restarting listener
            last_error = error
        if time.monotonic() - started > timeout:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise AssertionError(f"{describe}: not observed within {timeout}s{detail}\n{on_timeout()}")
        time.sleep(interval)


def holds_throughout(predicate: Callable[[], bool], seconds: float, interval: float = 0.2) -> bool:
    """True if `predicate` held at every poll for `seconds`; False at its first failure."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not predicate():
            return False
        time.sleep(interval)
    return True


# ---------------------------------------------------------------------------------------
# Users.


@dataclass
class Account:
    """A user the test created, with the password it knows."""

    id: str
    email: str
    password: str
    username: str | None = None


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:16]}@conformance.test"


def create_account(
    client: FusionAuthClient,
    register: tuple[str, ...] | list[str] = (),
    roles: list[str] | None = None,
    password: str = DEFAULT_PASSWORD,
    with_username: bool = False,
    **user_fields,
) -> Account:
    """Create a user with a unique email (and username), registering it for `register`."""
    email = user_fields.pop("email", None) or unique_email()
    user = {"email": email, "password": password, "firstName": "Conformance", **user_fields}
    if with_username:
        user["username"] = f"u{uuid.uuid4().hex[:16]}"
    created = client.create_user({"user": user})
    assert created.status == 200, describe_failure(created)
    account = Account(
        id=created.success_response["user"]["id"],
        email=email,
        password=password,
        username=user.get("username"),
    )
    for application_id in register:
        registration = {"applicationId": application_id}
        if roles is not None:
            registration["roles"] = roles
        registered = client.register({"registration": registration}, account.id)
        assert registered.status == 200, describe_failure(registered)
    return account


def login_request(account: Account, application_id: str | None = None, **extra) -> dict:
    body = {"loginId": account.email, "password": account.password}
    if application_id:
        body["applicationId"] = application_id
    body.update(extra)
    return body


def describe_failure(response) -> str:
    """A readable account of an unexpected ClientResponse or requests.Response."""
    raw = getattr(response, "response", response)
    return f"HTTP {raw.status_code} {raw.request.method} {raw.url}: {raw.text[:800]!r}"


def assert_status(response, expected: int) -> None:
    status = getattr(response, "status", None) or response.status_code
    assert status == expected, f"expected {expected}; " + describe_failure(response)


# ---------------------------------------------------------------------------------------
# JWTs.


def decode_hs256(token: str, secret: bytes, audience: str | None = None) -> dict:
    options = {"require": ["exp", "iat", "iss", "sub"]}
    if audience is None:
        options["verify_aud"] = False
    return jwt.decode(
        token, secret, algorithms=["HS256"], audience=audience, options=options, leeway=5
    )


def tamper(token: str) -> str:
    """The same token with one claim changed and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(uuid.uuid4())
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


# ---------------------------------------------------------------------------------------
# TOTP (RFC 6238 as FusionAuth fixes it: HMAC-SHA1, 6 digits, 30-second steps).

TOTP_STEP_SECONDS = 30


def totp_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // TOTP_STEP_SECONDS)


def totp_code_for_step(key: bytes, step: int) -> str:
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_code(secret_base64: str, at: float | None = None) -> str:
    return totp_code_for_step(base64.b64decode(secret_base64), totp_step(at))


def fresh_totp_step(after_step: int, margin_seconds: float = 2.0) -> int:
    """A TOTP step later than `after_step` with at least `margin_seconds` left in it,
    sleeping until one begins if need be (at most one step and the margin)."""
    while True:
        now = time.time()
        step = totp_step(now)
        remaining = (step + 1) * TOTP_STEP_SECONDS - now
        if step > after_step and remaining >= margin_seconds:
            return step
        time.sleep(remaining + 0.05)


def wrong_totp_code(key: bytes, step: int) -> str:
    """A well-formed code that is not valid for `step` or either neighbour."""
    valid = {totp_code_for_step(key, s) for s in (step - 1, step, step + 1)}
    candidate = 0
    while f"{candidate:06d}" in valid:
        candidate += 1
    return f"{candidate:06d}"


# ---------------------------------------------------------------------------------------
# Cookies.


@dataclass
class SetCookie:
    name: str
    value: str
    attributes: dict  # lower-cased attribute name -> value (True for flags)

    @property
    def http_only(self) -> bool:
        return "httponly" in self.attributes

    @property
    def max_age(self) -> int | None:
        value = self.attributes.get("max-age")
        return None if value in (None, True) else int(value)

    @property
    def deletes(self) -> bool:
        """True when the header tells the browser to drop the cookie now."""
        if self.max_age is not None and self.max_age <= 0:
            return True
        expires = self.attributes.get("expires")
        if isinstance(expires, str):
            return parsedate_to_datetime(expires).timestamp() <= time.time()
        return False


def set_cookies(response) -> dict[str, SetCookie]:
    """Every Set-Cookie header of a response, by cookie name (last one wins)."""
    raw = getattr(response, "response", response).raw
    cookies = {}
    for header in raw.headers.getlist("Set-Cookie"):
        first, *rest = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        attributes = {}
        for part in rest:
            if not part:
                continue
            key, sep, attr_value = part.partition("=")
            attributes[key.strip().lower()] = attr_value.strip() if sep else True
        cookies[name.strip()] = SetCookie(name.strip(), value.strip(), attributes)
    return cookies


def keys_anywhere(document) -> set[str]:
    """Every object key in a JSON document, at any depth."""
    found = set()
    if isinstance(document, dict):
        for key, value in document.items():
            found.add(key)
            found |= keys_anywhere(value)
    elif isinstance(document, list):
        for item in document:
            found |= keys_anywhere(item)
    return found


# ---------------------------------------------------------------------------------------
# Two-factor.


@dataclass
class TwoFactorAccount:
    account: Account
    secret: str
    secret_base32: str
    recovery_codes: list
    enabled_at_step: int


def enable_authenticator(client, account) -> TwoFactorAccount:
    generated = client.generate_two_factor_secret()
    assert_status(generated, 200)
    secret = generated.success_response["secret"]
    step = fresh_totp_step(after_step=-1, margin_seconds=1.0)
    enabled = client.enable_two_factor(
        account.id,
        {"method": "authenticator", "code": totp_code_for_step(base64.b64decode(secret), step), "secret": secret},
    )
    assert_status(enabled, 200)
    return TwoFactorAccount(
        account=account,
        secret=secret,
        secret_base32=generated.success_response["secretBase32Encoded"],
        recovery_codes=enabled.success_response["recoveryCodes"],
        enabled_at_step=step,
    )
