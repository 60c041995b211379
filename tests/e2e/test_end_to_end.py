"""Authlet as a user runs it: the chart's operator in a pod, the example Tenant and
Applications rendered into a Secret, the example workload with the sidecar mounting it,
and logins made from inside the workload's container. The steps run in file order and
build on each other.

The same steps run on every provider (conftest.py): the local one-node cluster in the
README's test command, and kind (tests/kind/run.sh).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time

import jwt
import yaml

from cluster import REPO_ROOT, wait_for
from providers import KUBELET_SYNC_FREQUENCY

EXAMPLES = REPO_ROOT / "examples" / "kubernetes"
CHART = REPO_ROOT / "charts" / "authlet"

RELEASE = "authlet"
OPERATOR_NAMESPACE = "authlet-system"
NAMESPACE = "shop"
TENANT = "acme"
CONFIG_SECRET = f"{TENANT}-authlet-config"
SIGNING_KEY_SECRET = f"{TENANT}-authlet-signing-key"
SIDECAR_URL = "http://127.0.0.1:9011"
API_KEY = yaml.safe_load((EXAMPLES / "api-key-secret.yaml").read_text())["stringData"]["default"]
EMAIL = "e2e@example.com"
PASSWORD = "correct-horse-battery-42"
# The kubelet syncs pods every KUBELET_SYNC_FREQUENCY here; with its default of a
# minute this limit fails, which is the point.
PROPAGATION_LIMIT_SECONDS = 15


def storefront_id(cluster) -> str:
    return cluster.get_json("application", "storefront", "-n", NAMESPACE)["status"]["id"]


def shop_pod(cluster) -> dict:
    pods = cluster.get_json("pods", "-n", NAMESPACE, "-l", "app=shop")["items"]
    assert len(pods) == 1, [p["metadata"]["name"] for p in pods]
    return pods[0]


def container_status(pod: dict, name: str) -> dict:
    return next(s for s in pod["status"]["containerStatuses"] if s["name"] == name)


def in_workload(cluster, *argv: str, timeout: float = 60):
    """Run a command in the workload container of the shop pod; the caller checks
    its outcome."""
    return cluster.kubectl("exec", "-n", NAMESPACE, "deploy/shop", "-c", "workload", "--", *argv,
                           check=False, timeout=timeout)


def sidecar_request(cluster, path: str, payload: dict | None = None, api_key: str | None = None):
    """An HTTP request from the workload container to the sidecar, with busybox's wget
    (POST when there is a payload); returns (status, parsed JSON body or None)."""
    argv = ["wget", "-S", "-q", "-O-", "--header", "Content-Type: application/json"]
    if api_key:
        argv += ["--header", f"Authorization: {api_key}"]
    if payload is not None:
        argv += ["--post-data", json.dumps(payload)]
    result = in_workload(cluster, *argv, SIDECAR_URL + path)
    # -S prints the response's status line to stderr; wget prints the body only on 2xx.
    statuses = re.findall(r"HTTP/1\.[01] (\d{3})", result.stderr)
    assert statuses, f"no response from the sidecar: {result.stderr}"
    body = json.loads(result.stdout) if result.stdout.strip() else None
    return int(statuses[-1]), body


def login_payload(application_id: str) -> dict:
    return {"loginId": EMAIL, "password": PASSWORD, "applicationId": application_id}


def login_record_total(cluster, user_id: str) -> int:
    status, body = sidecar_request(
        cluster, f"/api/system/login-record/search?userId={user_id}&retrieveTotal=true", api_key=API_KEY
    )
    assert status == 200, body
    return body["total"]


# ---------------------------------------------------------------------------------------


def test_1_helm_install_runs_the_operator_as_its_service_account(cluster):
    cluster.helm("install", RELEASE, str(CHART), "--namespace", OPERATOR_NAMESPACE, "--create-namespace",
                 "--wait", "--timeout", "180s")
    pods = cluster.get_json("pods", "-n", OPERATOR_NAMESPACE, "-l", f"app.kubernetes.io/instance={RELEASE}")["items"]
    assert len(pods) == 1
    pod = pods[0]
    assert pod["spec"]["serviceAccountName"] == RELEASE
    ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "True"
    # In the pod, on the chart's RBAC only, it has elected itself through its Lease.
    holder = wait_for(
        lambda: cluster.kubectl("get", "lease", "authlet-operator", "-n", OPERATOR_NAMESPACE,
                                "-o", "jsonpath={.spec.holderIdentity}", check=False).stdout,
        timeout=60,
        what="the operator's Lease",
    )
    assert holder == pod["metadata"]["name"]


def test_2_example_tenant_and_applications_are_rendered_into_a_secret(cluster):
    for name in ("namespace.yaml", "api-key-secret.yaml", "tenant.yaml", "applications.yaml"):
        cluster.kubectl("apply", "--server-side", "-f", str(EXAMPLES / name))
    cluster.kubectl("wait", "-n", NAMESPACE, "--for=condition=Ready", f"tenant/{TENANT}",
                    "application/storefront", "application/backoffice", "--timeout=120s", timeout=150)
    secret = cluster.get_json("secret", CONFIG_SECRET, "-n", NAMESPACE)
    assert secret["metadata"]["ownerReferences"][0]["kind"] == "Tenant"
    config = yaml.safe_load(base64.b64decode(secret["data"]["config.yaml"]))
    assert [a["name"] for a in config["tenants"][0]["applications"]] == ["backoffice", "storefront"]


def test_3_the_workload_and_its_sidecar_run(cluster):
    cluster.kubectl("apply", "--server-side", "-f", str(EXAMPLES / "workload.yaml"))
    cluster.kubectl("rollout", "status", "-n", NAMESPACE, "deployment/shop", "--timeout=180s", timeout=200)
    pod = shop_pod(cluster)
    for name in ("workload", "authlet"):
        assert container_status(pod, name)["ready"], name


def test_4_a_login_from_the_workload_returns_a_jwt_the_jwks_verifies(cluster):
    application_id = storefront_id(cluster)
    status, body = sidecar_request(cluster, "/api/user/registration", {
        "user": {"email": EMAIL, "password": PASSWORD},
        "registration": {"applicationId": application_id},
    }, api_key=API_KEY)
    assert status == 200, body

    status, body = sidecar_request(cluster, "/api/login", login_payload(application_id), api_key=API_KEY)
    assert status == 200, body
    assert "refreshToken" not in body, "storefront starts without refresh tokens"
    status, jwks = sidecar_request(cluster, "/.well-known/jwks.json")
    assert status == 200
    header = jwt.get_unverified_header(body["token"])
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    claims = jwt.decode(body["token"], jwt.PyJWK(key).key, algorithms=[header["alg"]], audience=application_id)
    assert claims["iss"] == "shop.example.com"
    assert claims["sub"] == body["user"]["id"]

    # storefront requires an API key (requireAuthentication: true).
    status, _ = sidecar_request(cluster, "/api/login", login_payload(application_id))
    assert status == 401


class ResourceVersionChange:
    """When an object's resourceVersion first changes after construction, polled with
    kubectl in a thread (a watch could start too late to see the change)."""

    def __init__(self, cluster, kind: str, name: str, namespace: str, interval: float = 0.2):
        self._get = lambda: cluster.kubectl(
            "get", kind, name, "-n", namespace, "-o", "jsonpath={.metadata.resourceVersion}"
        ).stdout
        self._initial = self._get()
        self._interval = interval
        self.changed_at: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            if self._get() != self._initial:
                self.changed_at = time.monotonic()
                return
            self._stop.wait(self._interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


# Polls from inside the pod, so that the moment the behaviour changes is not blurred by
# kubectl exec's own latency: anonymous logins until wget's output (status line and
# body) contains $4.
POLL_ANONYMOUS_LOGIN = """
deadline=$(( $(date +%s) + $2 ))
while :; do
  out=$(wget -S -q -O- --header 'Content-Type: application/json' --post-data "$1" "$3/api/login" 2>&1)
  case $out in *"$4"*) exit 0 ;; esac
  [ "$(date +%s)" -lt "$deadline" ] || { printf '%s' "$out"; exit 1; }
  sleep 0.1
done
"""

# Each patch, and what an anonymous login then shows. Three, alternating, so that the
# reported time is not one lucky sample of the kubelet's sync period.
STOREFRONT_PATCHES = [
    ({"generateRefreshTokens": True, "requireAuthentication": False}, '"refreshToken"'),
    ({"generateRefreshTokens": False, "requireAuthentication": True}, "HTTP/1.1 401"),
    ({"generateRefreshTokens": True, "requireAuthentication": False}, '"refreshToken"'),
]


def test_5_application_patches_reach_the_sidecar_through_the_mounted_secret(cluster, measurements):
    payload = json.dumps(login_payload(storefront_id(cluster)))
    samples = []
    for login_configuration, expected in STOREFRONT_PATCHES:
        secret_change = ResourceVersionChange(cluster, "secret", CONFIG_SECRET, NAMESPACE)
        try:
            cluster.kubectl("patch", "application", "storefront", "-n", NAMESPACE, "--type=merge",
                            "-p", json.dumps({"spec": {"loginConfiguration": login_configuration}}))
            patched = time.monotonic()
            poll = in_workload(cluster, "sh", "-c", POLL_ANONYMOUS_LOGIN, "poll", payload, "120", SIDECAR_URL,
                               expected, timeout=150)
            changed = time.monotonic()
        finally:
            secret_change.stop()
        assert poll.returncode == 0, f"{login_configuration}: no {expected} within 120s; last: {poll.stdout}"
        assert secret_change.changed_at is not None, "the behaviour changed, but the Secret did not?"
        samples.append((changed - patched, secret_change.changed_at - patched))

    totals = ", ".join(f"{total:.1f}s" for total, _ in samples)
    renders = ", ".join(f"{rendered:.1f}s" for _, rendered in samples)
    measurements.append(
        f"Secret propagation ({cluster.provider}, kubelet syncFrequency {KUBELET_SYNC_FREQUENCY}): "
        f"Application patch -> changed behaviour in the pod: {totals} "
        f"(of which the operator writing the Secret: {renders})"
    )
    assert max(total for total, _ in samples) < PROPAGATION_LIMIT_SECONDS


def test_6_a_killed_sidecar_restarts_with_its_users_and_records(cluster):
    application_id = storefront_id(cluster)
    status, body = sidecar_request(cluster, "/api/login", login_payload(application_id), api_key=API_KEY)
    assert status == 200, body
    user_id = body["user"]["id"]
    records = login_record_total(cluster, user_id)

    before = container_status(shop_pod(cluster), "authlet")
    cluster.kill_container(before["containerID"])

    def restarted_and_ready() -> bool:
        now = container_status(shop_pod(cluster), "authlet")
        return now["restartCount"] == before["restartCount"] + 1 and now["ready"]

    wait_for(restarted_and_ready, timeout=120, interval=1, what="the sidecar to restart and be ready")
    after = container_status(shop_pod(cluster), "authlet")
    assert after["containerID"] != before["containerID"]
    assert after["lastState"]["terminated"]["exitCode"] == 137  # SIGKILL

    # The user and the login records live in /var/lib/authlet, the pod's emptyDir,
    # which outlives its containers.
    status, body = sidecar_request(cluster, "/api/login", login_payload(application_id), api_key=API_KEY)
    assert status == 200, body
    assert body["user"]["id"] == user_id
    assert login_record_total(cluster, user_id) == records + 1


def test_7_deleting_the_tenant_garbage_collects_its_secrets(cluster):
    cluster.kubectl("delete", "tenant", TENANT, "-n", NAMESPACE)
    # The garbage collector learns of the Tenant kind on its discovery resync (30s).
    cluster.kubectl("wait", "-n", NAMESPACE, "--for=delete", f"secret/{CONFIG_SECRET}",
                    f"secret/{SIGNING_KEY_SECRET}", "--timeout=120s", timeout=150)
