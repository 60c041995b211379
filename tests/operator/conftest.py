"""The operator on a real Kubernetes API server.

A throwaway etcd + kube-apiserver (+ the garbage collector) from tests/kube/cluster.py;
the CRDs and the Helm chart's rendered manifests applied server-side; the real
`authlet-operator` binary running with a token of the chart's ServiceAccount, so that
the chart's RBAC is what is proven sufficient; the real `authlet-sidecar` binary
started on the Secret the operator renders, with that Secret mounted the way the
kubelet mounts it (a `..data` symlink swapped on every change).

    pytest tests/operator      # AUTHLET_KUBE_BIN, AUTHLET_OPERATOR_BIN, AUTHLET_SIDECAR_BIN optional
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from cluster import REPO_ROOT, ApiServer
from k8s import OperatorProcess, apply_manifests, wait_established

RELEASE = "authlet"
OPERATOR_NAMESPACE = "authlet-system"


def _binary(variable: str, name: str) -> Path:
    configured = os.environ.get(variable)
    if configured:
        return Path(configured)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target"))
    path = target / "debug" / name
    if not path.exists():
        raise RuntimeError(f"{path} not found: run `cargo build -p {name}` or set {variable}")
    return path


@pytest.fixture(scope="session")
def operator_bin() -> Path:
    return _binary("AUTHLET_OPERATOR_BIN", "authlet-operator")


@pytest.fixture(scope="session")
def sidecar_bin() -> Path:
    return _binary("AUTHLET_SIDECAR_BIN", "authlet-sidecar")


@pytest.fixture(scope="session")
def chart_manifests(kube) -> str:
    """`helm template` of the chart, as a user's `helm install` would render it."""
    helm = str(kube.bin_dir / "helm")
    chart = str(REPO_ROOT / "charts" / "authlet")
    subprocess.run([helm, "lint", "--strict", chart], check=True, capture_output=True, text=True)
    return subprocess.run(
        [helm, "template", RELEASE, chart, "--namespace", OPERATOR_NAMESPACE, "--include-crds"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="session")
def kube():
    # Audited, so that a test can prove from the API server's own record that the
    # operator wrote nothing (tests/operator/test_churn.py).
    with ApiServer(audit=True) as api:
        yield api


@pytest.fixture(scope="session")
def installed(kube, chart_manifests):
    """The chart's manifests (CRDs included) applied server-side, as a real API server
    validates them; then the garbage collector, once the CRDs' kinds are discoverable."""
    kube.ensure_namespace(OPERATOR_NAMESPACE)
    apply_manifests(kube, chart_manifests)
    wait_established(kube, "tenants.authlet.io", "applications.authlet.io")
    kube.start_controller_manager()
    return kube


@pytest.fixture(scope="session")
def operator(installed, operator_bin, tmp_path_factory):
    """The operator as the chart's ServiceAccount (a TokenRequest token)."""
    process = OperatorProcess(installed, operator_bin, tmp_path_factory.mktemp("operator"), "replica-a")
    process.start()
    yield process
    process.stop()
