"""The binary's configuration interface: `config schema` prints the JSON Schema of the
config contract, and a config that fails parsing or validation stops start-up with an
error naming the offending field."""

import json
import re
import subprocess

import pytest

from harness import default_config, free_port, random_hmac_secret, sidecar_binary

EXIT_TIMEOUT_SECONDS = 30


def run(*args, cwd=None):
    binary = sidecar_binary()
    assert binary.exists(), f"sidecar binary not found at {binary}; build it or set AUTHLET_SIDECAR_BIN"
    try:
        return subprocess.run(
            [str(binary), *args], capture_output=True, text=True, timeout=EXIT_TIMEOUT_SECONDS, cwd=cwd
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"`authlet-sidecar {' '.join(args)}` still running after {EXIT_TIMEOUT_SECONDS}s: {expired}")


def test_config_schema_prints_the_json_schema():
    result = run("config", "schema")

    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert "tenants" in schema["properties"]
    assert "apiKeys" in schema["properties"]
    assert "keys" in schema["properties"]


def config_with(tmp_path, mutate) -> str:
    config = default_config(free_port(), f"sqlite://{tmp_path / 'authlet.db'}", random_hmac_secret())
    mutate(config)
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps(config, indent=2))
    return str(path)


def add_unknown_application_field(config):
    config["tenants"][0]["applications"][0]["requireAuthentcation"] = False


def add_unknown_tenant_field(config):
    config["tenants"][0]["jwtConfiguration"]["timeToLiveInMinutes"] = 10


def test_unknown_field_stops_start_up_and_is_named(tmp_path):
    result = run("--config", config_with(tmp_path, add_unknown_application_field), cwd=tmp_path)

    assert result.returncode != 0
    assert "requireAuthentcation" in result.stderr
    assert re.search(r"tenants\W*0\W*applications\W*0", result.stderr), result.stderr


def test_unknown_nested_field_is_named(tmp_path):
    result = run("--config", config_with(tmp_path, add_unknown_tenant_field), cwd=tmp_path)

    assert result.returncode != 0
    assert "timeToLiveInMinutes" in result.stderr
    assert re.search(r"tenants\W*0\W*jwtConfiguration", result.stderr), result.stderr


def test_every_validation_error_is_reported_at_once(tmp_path):
    def break_two_things(config):
        config["tenants"][0]["failedAuthenticationConfiguration"] = {"tooManyAttempts": 0}
        config["keys"][0]["secret"] = "c2hvcnQ="  # "short": under 32 bytes

    result = run("--config", config_with(tmp_path, break_two_things), cwd=tmp_path)

    assert result.returncode != 0
    assert "tooManyAttempts" in result.stderr
    assert re.search(r"keys\W*0\W*secret", result.stderr), result.stderr


def test_missing_config_file_is_an_error(tmp_path):
    result = run("--config", str(tmp_path / "does-not-exist.yaml"), cwd=tmp_path)

    assert result.returncode != 0
    assert result.stderr.strip()
