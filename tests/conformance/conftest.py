"""Fixtures for the whole-system conformance suite.

The suite runs the real `authlet-sidecar` binary against a real SQLite file and talks to
it with FusionAuth's official Python client (`fusionauth-client`), plus raw `requests`
where the client has no method. Run it with:

    pip install -r tests/conformance/requirements.txt
    cargo build -p authlet-sidecar
    pytest tests/conformance            # AUTHLET_SIDECAR_BIN=... to pick another binary

One sidecar process serves most modules (session scope). Tests that hot-reload its
configuration go through `reconfigure`, which restores the original afterwards; modules
that need a different configuration (several tenants, a Kubernetes-style mount) start
their own process with `launch_sidecar`.
"""

from __future__ import annotations

import copy

import pytest

import harness
from harness import Sidecar


@pytest.fixture(scope="session")
def sidecar_bin():
    return harness.sidecar_binary()


@pytest.fixture(scope="session")
def launch_sidecar(sidecar_bin, tmp_path_factory):
    """Start a sidecar with a config built by `make_config(port, database_url)`.

    With start=False the process is only prepared, for a caller that lays out its config
    files itself (then calls `.start(write_config=False)`).

    Every process started here is stopped at the end of the session at the latest;
    callers that want it gone sooner call `.stop()`.
    """
    started: list[Sidecar] = []

    def launch(make_config, name: str = "sidecar", start: bool = True) -> Sidecar:
        workdir = tmp_path_factory.mktemp(name)
        config = make_config(harness.free_port(), harness.new_database_url(workdir))
        sidecar = Sidecar(sidecar_bin, workdir, config)
        started.append(sidecar)
        return sidecar.start() if start else sidecar

    yield launch
    for sidecar in started:
        sidecar.stop()


@pytest.fixture(scope="session")
def sidecar(launch_sidecar):
    """The shared sidecar running the suite's standard single-tenant configuration."""
    secret = harness.random_hmac_secret()
    return launch_sidecar(
        lambda port, database_url: harness.default_config(port, database_url, secret), "default"
    )


@pytest.fixture
def client(sidecar):
    """The official client with the suite's API key."""
    return sidecar.client()


@pytest.fixture
def anon(sidecar):
    """The official client with no API key: it sends no Authorization header at all."""
    return sidecar.client(api_key=None)


@pytest.fixture
def make_user(client):
    """Create a uniquely named user: make_user(register=[SHOP], roles=[...], **user_fields)."""

    def make(**options) -> harness.Account:
        return harness.create_account(client, **options)

    return make


@pytest.fixture
def reconfigure(sidecar):
    """Hot-reload the shared sidecar for one test, restoring the original config after.

    reconfigure(new_config, until=..., restored_when=...) rewrites the file and waits for
    `until()`; at teardown the original config is written back and `restored_when()` (from
    the last call) is awaited, so later tests see the standard behaviour again.
    """
    restore_checks = []

    def apply(new_config, *, until, restored_when) -> float:
        restore_checks.append(restored_when)
        return sidecar.reload(new_config, until=until)

    yield apply
    if restore_checks:
        sidecar.reload(copy.deepcopy(sidecar.original_config), until=restore_checks[-1])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of every sidecar log the failing test touched to its report."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name, value in getattr(item, "funcargs", {}).items():
        candidates = value if isinstance(value, tuple) else (value, getattr(value, "sidecar", None))
        for candidate in candidates:
            if isinstance(candidate, Sidecar):
                report.sections.append((f"sidecar log ({name})", candidate.log_tail()))
