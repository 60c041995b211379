"""Configuration hot reload: a rewritten config file takes effect without a restart, an
invalid one is ignored while the last good config keeps serving, and a Kubernetes-style
mount (config.yaml -> ..data/config.yaml, ..data -> a timestamped dir, swapped by
replacing the ..data symlink) is followed across swaps."""

import copy
import json
import os
import shutil

import pytest

from harness import (
    PUBLIC,
    RELOAD_TIMEOUT_SECONDS,
    application_config,
    create_account,
    default_config,
    holds_throughout,
    login_request,
    random_hmac_secret,
    wait_for,
)


def public_requires_api_key(config: dict) -> dict:
    changed = copy.deepcopy(config)
    application_config(changed, PUBLIC)["loginConfiguration"]["requireAuthentication"] = True
    return changed


def anonymous_public_login_status(sidecar, account) -> int:
    return sidecar.client(api_key=None).login(login_request(account, PUBLIC)).status


def test_reloaded_config_applies_without_restart(sidecar, reconfigure):
    account = create_account(sidecar.client(), register=[PUBLIC])
    assert anonymous_public_login_status(sidecar, account) == 200

    reconfigure(
        public_requires_api_key(sidecar.original_config),
        until=lambda: anonymous_public_login_status(sidecar, account) == 401,
        restored_when=lambda: anonymous_public_login_status(sidecar, account) == 200,
    )

    assert sidecar.process.poll() is None, "the sidecar restarted instead of reloading"
    assert sidecar.client().login(login_request(account, PUBLIC)).status == 200


def with_unknown_field(config: dict) -> str:
    broken = copy.deepcopy(config)
    application_config(broken, PUBLIC)["requireAuthentcation"] = False
    return json_text(broken)


def truncated(config: dict) -> str:
    text = json_text(config)
    return text[: len(text) // 2]


def with_invalid_value(config: dict) -> str:
    broken = copy.deepcopy(config)
    broken["tenants"][0]["failedAuthenticationConfiguration"] = {"tooManyAttempts": 0}
    return json_text(broken)


def json_text(config: dict) -> str:
    return json.dumps(config, indent=2)


@pytest.mark.parametrize("break_config", [with_unknown_field, truncated, with_invalid_value])
def test_invalid_config_is_ignored_and_the_last_good_one_keeps_serving(sidecar, reconfigure, break_config):
    account = create_account(sidecar.client(), register=[PUBLIC])
    locked_down = public_requires_api_key(sidecar.original_config)
    latency = reconfigure(
        locked_down,
        until=lambda: anonymous_public_login_status(sidecar, account) == 401,
        restored_when=lambda: anonymous_public_login_status(sidecar, account) == 200,
    )

    # The broken file would re-open Public to anonymous logins if any of it were applied.
    sidecar.reload(break_config(sidecar.original_config), until=lambda: True)
    # Watch for three times as long as the valid reload took to show (3 s at least).
    observe_for = min(RELOAD_TIMEOUT_SECONDS, max(3.0, 3 * latency))
    assert holds_throughout(lambda: anonymous_public_login_status(sidecar, account) == 401, observe_for)
    assert sidecar.process.poll() is None, "the sidecar exited on an invalid config"
    assert sidecar.client().login(login_request(account, PUBLIC)).status == 200

    # Reloading still works after the rejected file.
    sidecar.reload(
        copy.deepcopy(sidecar.original_config),
        until=lambda: anonymous_public_login_status(sidecar, account) == 200,
    )


# ---------------------------------------------------------------------------------------
# Kubernetes Secret/ConfigMap volume layout, in a dedicated process.


def swap_data_dir(mount, new_dir_name: str, config: dict) -> None:
    """What the kubelet does: write a new timestamped dir, then atomically repoint ..data."""
    new_dir = mount / new_dir_name
    new_dir.mkdir()
    (new_dir / "config.yaml").write_text(json_text(config))
    old_dir = mount / os.readlink(mount / "..data")
    temporary_link = mount / "..data_tmp"
    os.symlink(new_dir_name, temporary_link)
    os.replace(temporary_link, mount / "..data")
    shutil.rmtree(old_dir)


@pytest.fixture
def mounted_sidecar(launch_sidecar):
    secret = random_hmac_secret()
    sidecar = launch_sidecar(lambda port, url: default_config(port, url, secret), "k8s-mount", start=False)
    mount = sidecar.workdir / "mount"
    first = mount / "..2026_01_01_00_00_00.000000001"
    first.mkdir(parents=True)
    (first / "config.yaml").write_text(json_text(sidecar.config))
    os.symlink(first.name, mount / "..data")
    os.symlink("..data/config.yaml", mount / "config.yaml")
    sidecar.config_path = mount / "config.yaml"
    sidecar.start(write_config=False)
    yield sidecar, mount
    sidecar.stop()


def test_kubernetes_style_symlink_swap_is_followed(mounted_sidecar):
    sidecar, mount = mounted_sidecar
    account = create_account(sidecar.client(), register=[PUBLIC])
    assert anonymous_public_login_status(sidecar, account) == 200

    swap_data_dir(mount, "..2026_01_01_00_01_00.000000002", public_requires_api_key(sidecar.original_config))
    wait_for(
        lambda: anonymous_public_login_status(sidecar, account) == 401,
        timeout=RELOAD_TIMEOUT_SECONDS,
        describe="first ..data swap",
        on_timeout=sidecar.log_tail,
    )

    swap_data_dir(mount, "..2026_01_01_00_02_00.000000003", sidecar.original_config)
    wait_for(
        lambda: anonymous_public_login_status(sidecar, account) == 200,
        timeout=RELOAD_TIMEOUT_SECONDS,
        describe="second ..data swap",
        on_timeout=sidecar.log_tail,
    )
