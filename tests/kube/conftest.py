"""Fixtures for the self-test of the throwaway Kubernetes control plane
(cluster.py). Other suites copy the `kube` fixture below into their own
conftest; see cluster.py's docstring."""

from __future__ import annotations

import pytest

from cluster import ApiServer


@pytest.fixture(scope="session")
def kube():
    """etcd + kube-apiserver without controllers, shared by the session."""
    with ApiServer() as api:
        yield api
