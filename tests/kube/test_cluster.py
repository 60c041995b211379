"""The control plane from cluster.py does what the operator tests will rely on:
CRDs, ServiceAccount tokens from the TokenRequest API, RBAC enforcement, and
(with the controller manager) garbage collection through ownerReferences."""

from __future__ import annotations

import json
import os

import pytest

from cluster import ApiServer, KubectlError, wait_for

GROUP = "selftest.authlet.dev"

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": f"widgets.{GROUP}"},
    "spec": {
        "group": GROUP,
        "scope": "Namespaced",
        "names": {"plural": "widgets", "singular": "widget", "kind": "Widget"},
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "properties": {"size": {"type": "integer"}},
                            }
                        },
                    }
                },
            }
        ],
    },
}


def apply(api: ApiServer, obj: dict) -> None:
    api.kubectl("apply", "--server-side", "-f", "-", input=json.dumps(obj))


def install_crd(api: ApiServer) -> None:
    apply(api, CRD)
    api.kubectl("wait", "--for=condition=Established", f"crd/widgets.{GROUP}", "--timeout=60s")


def test_custom_resources(kube):
    install_crd(kube)
    kube.ensure_namespace("crd")
    apply(kube, {
        "apiVersion": f"{GROUP}/v1",
        "kind": "Widget",
        "metadata": {"name": "w", "namespace": "crd"},
        "spec": {"size": 3},
    })
    got = json.loads(kube.kubectl("get", "widget", "w", "-n", "crd", "-o", "json").stdout)
    assert got["spec"]["size"] == 3


def test_version_is_stamped(kube):
    # scripts/kube-tools stamps the release version; clients (helm's
    # kubeVersion checks among them) read it from /version.
    status, body = kube.request("GET", "/version")
    assert status == 200
    assert body["gitVersion"].startswith("v1.34."), body


def test_service_account_token_and_rbac(kube):
    ns, sa = "rbac", "reader"
    kube.ensure_service_account(sa, namespace=ns)
    token = kube.create_token(sa, namespace=ns)
    assert token.count(".") == 2  # a JWT

    # The token authenticates as the ServiceAccount...
    kubeconfig = kube.write_kubeconfig(token, user=sa)
    whoami = json.loads(kube.kubectl("auth", "whoami", "-o", "json", kubeconfig=kubeconfig).stdout)
    assert whoami["status"]["userInfo"]["username"] == f"system:serviceaccount:{ns}:{sa}"

    # ...which RBAC gives nothing by default.
    status, body = kube.request("GET", f"/api/v1/namespaces/{ns}/secrets", token=token)
    assert status == 403, body
    with pytest.raises(KubectlError, match="Forbidden"):
        kube.kubectl("get", "secrets", "-n", ns, kubeconfig=kubeconfig)

    apply(kube, {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {"name": "secret-reader", "namespace": ns},
        "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}],
    })
    apply(kube, {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "secret-reader", "namespace": ns},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "secret-reader"},
        "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}],
    })
    # The authorizer reads RBAC objects through an informer: allow it a moment.
    wait_for(
        lambda: kube.request("GET", f"/api/v1/namespaces/{ns}/secrets", token=token)[0] == 200,
        timeout=30,
        what="RoleBinding taking effect",
    )
    kube.kubectl("get", "secrets", "-n", ns, kubeconfig=kubeconfig)
    # Only what was granted: other namespaces stay closed.
    assert kube.request("GET", "/api/v1/namespaces/default/secrets", token=token)[0] == 403


def test_controller_manager_collects_owned_objects():
    with ApiServer(controller_manager=True) as api:
        workdir = api.workdir
        pids = [p.popen.pid for p in api._processes]
        assert len(pids) == 3

        # The serviceaccount controller runs: new namespaces get "default".
        api.ensure_namespace("gc")
        wait_for(
            lambda: api.request("GET", "/api/v1/namespaces/gc/serviceaccounts/default")[0] == 200,
            timeout=60,
            what="the default ServiceAccount",
        )

        install_crd(api)
        apply(api, {
            "apiVersion": f"{GROUP}/v1",
            "kind": "Widget",
            "metadata": {"name": "owner", "namespace": "gc"},
        })
        owner = json.loads(api.kubectl("get", "widget", "owner", "-n", "gc", "-o", "json").stdout)
        apply(api, {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "owned",
                "namespace": "gc",
                "ownerReferences": [{
                    "apiVersion": f"{GROUP}/v1",
                    "kind": "Widget",
                    "name": "owner",
                    "uid": owner["metadata"]["uid"],
                }],
            },
            "stringData": {"k": "v"},
        })
        api.kubectl("delete", "widget", "owner", "-n", "gc", "--wait=true")
        # The garbage collector picks up the new kind on its discovery resync
        # (30 s), hence the generous timeout.
        wait_for(
            lambda: api.request("GET", "/api/v1/namespaces/gc/secrets/owned")[0] == 404,
            timeout=120,
            what="garbage collection of the owned Secret",
        )

    # Leaving the context stops every process and removes the temp dir.
    if not os.environ.get("AUTHLET_KUBE_KEEP"):
        assert workdir is not None and not workdir.exists()
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
