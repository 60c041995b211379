"""Operational endpoints: liveness, readiness and Prometheus metrics."""

import requests

from harness import HTTP_TIMEOUT_SECONDS, assert_status


def get(sidecar, path):
    return requests.get(sidecar.url(path), timeout=HTTP_TIMEOUT_SECONDS)


def test_liveness(sidecar):
    assert_status(get(sidecar, "/healthz"), 200)


def test_readiness(sidecar):
    assert_status(get(sidecar, "/readyz"), 200)


def test_metrics_are_prometheus_text_with_authlet_names(sidecar, make_user):
    make_user()  # at least one API request has been served

    response = get(sidecar, "/metrics")

    assert_status(response, 200)
    assert response.headers["Content-Type"].startswith(("text/plain", "application/openmetrics-text"))
    metric_lines = [line for line in response.text.splitlines() if line and not line.startswith("#")]
    assert any(line.startswith("authlet_") for line in metric_lines), response.text[:1000]


def test_health_endpoints_need_no_api_key(sidecar):
    for path in ("/healthz", "/readyz", "/metrics"):
        assert get(sidecar, path).status_code == 200, path


def test_probe_subcommand_is_an_exec_probe(sidecar, sidecar_bin):
    """`authlet-sidecar probe` is what a pod's exec probe runs: 0 when ready, else not."""
    import subprocess

    address = sidecar.base_url.removeprefix("http://")
    ready = subprocess.run([str(sidecar_bin), "probe", "--address", address], capture_output=True)
    assert ready.returncode == 0, ready.stderr
    missing = subprocess.run(
        [str(sidecar_bin), "probe", "--address", address, "--path", "/no-such-path"], capture_output=True
    )
    assert missing.returncode != 0
