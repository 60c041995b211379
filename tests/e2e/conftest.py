"""Fixtures of the end-to-end suite: a cluster that runs pods, from the provider that
AUTHLET_E2E_CLUSTER names (`local`, the default, or `kind`; see providers.py), with the
images the chart and the example workload name built from our release binaries and
loaded into it.

    AUTHLET_E2E_CLUSTER=local pytest tests/e2e     # AUTHLET_RELEASE_DIR: where the release binaries are
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from cluster import REPO_ROOT
from images import busybox_image, rust_binary_image, write_archive
from providers import Cluster, KindCluster

EXAMPLES = REPO_ROOT / "examples" / "kubernetes"
CHART = REPO_ROOT / "charts" / "authlet"


def release_binary(name: str) -> Path:
    directory = os.environ.get("AUTHLET_RELEASE_DIR")
    if directory:
        path = Path(directory) / name
    else:
        path = Path(os.environ.get("CARGO_TARGET_DIR", REPO_ROOT / "target")) / "release" / name
    if not path.is_file():
        raise RuntimeError(f"{path} not found: run `cargo build --release -p {name}` or set AUTHLET_RELEASE_DIR")
    return path


def image_archives(directory: Path) -> list[Path]:
    """The operator image the chart's values name, and the sidecar and workload images
    of the example workload, as OCI archives."""
    workload = yaml.safe_load((EXAMPLES / "workload.yaml").read_text())
    images = {c["name"]: c["image"] for c in workload["spec"]["template"]["spec"]["containers"]}
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text())
    values = yaml.safe_load((CHART / "values.yaml").read_text())["image"]
    operator = f"{values['repository']}:{values['tag'] or chart['appVersion']}"
    built = [
        rust_binary_image(operator, release_binary("authlet-operator")),
        rust_binary_image(images["authlet"], release_binary("authlet-sidecar")),
        busybox_image(images["workload"], ["/bin/sh"]),
    ]
    return [write_archive(image, directory / (re.sub(r"[^\w.-]", "_", image.name) + ".tar")) for image in built]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory) -> Cluster:
    provider = os.environ.get("AUTHLET_E2E_CLUSTER", "local")
    if provider == "local":
        from local_cluster import LocalCluster  # root-only machinery, not needed for kind

        chosen: Cluster = LocalCluster()
    elif provider == "kind":
        chosen = KindCluster()
    else:
        raise pytest.UsageError(f"AUTHLET_E2E_CLUSTER={provider}: expected local or kind")
    archives = image_archives(tmp_path_factory.mktemp("images"))
    with chosen:
        chosen.load_images(archives)
        yield chosen


@pytest.fixture(scope="session")
def measurements(request) -> list[str]:
    """Lines for the summary at the end of the run (the Secret propagation time)."""
    return request.config.stash.setdefault(_MEASUREMENTS, [])


_MEASUREMENTS = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config) -> None:
    lines = config.stash.get(_MEASUREMENTS, [])
    if lines:
        terminalreporter.section("measurements")
        for line in lines:
            terminalreporter.write_line(line)


# The steps build on each other, in file order: after a failure the later ones are
# skipped rather than failing for the same reason. A failure shows the cluster's pods,
# events and logs.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.session.stash[_FAILED_STEP] = item.name
        cluster = item.funcargs.get("cluster")
        if cluster is not None:
            report.sections.append(("cluster", cluster.diagnostics(["authlet-system", "shop"])))


def pytest_runtest_setup(item) -> None:
    failed = item.session.stash.get(_FAILED_STEP, None)
    if failed:
        pytest.skip(f"an earlier step failed: {failed}")


_FAILED_STEP = pytest.StashKey[str]()
