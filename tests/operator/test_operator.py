"""The operator end to end on a real API server: the example Tenant and Applications
rendered into a Secret, a real sidecar serving logins from that Secret and following
every change, invalid specs refused by the API server, problems reported in conditions,
deletion leaving nothing behind, and leader election handing over."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
import requests
import yaml

from cluster import REPO_ROOT, KubectlError, wait_for
from harness import (
    ConformanceClient,
    assert_status,
    create_account,
    enable_authenticator as harness_enable_authenticator,
    fresh_totp_step,
    login_request,
    totp_code_for_step,
)
from k8s import (
    OperatorProcess,
    SecretMount,
    SidecarProcess,
    application,
    apply_manifests,
    apply_default_tenant,
    apply_object,
    condition,
    free_port,
    merge_patch,
    secret,
    secret_text,
    tenant,
    wait_condition,
)
from latency import DelayedLink

EXAMPLES = REPO_ROOT / "examples" / "kubernetes"
API_KEY = "demo-api-key-change-me-0123456789"


def apply_examples(kube) -> None:
    for name in ("namespace.yaml", "api-key-secret.yaml", "tenant.yaml", "applications.yaml", "workload.yaml"):
        apply_manifests(kube, (EXAMPLES / name).read_text())


def rendered_config(kube, namespace: str, tenant_name: str) -> dict:
    obj = secret(kube, namespace, f"{tenant_name}-authlet-config")
    assert obj is not None, "no rendered Secret"
    return yaml.safe_load(secret_text(obj, "config.yaml"))


def wait_rendered(kube, namespace: str, tenant_name: str, previous_hash: str | None) -> dict:
    """Wait for a rendering different from `previous_hash` that the Tenant reports as
    current; return the Tenant."""

    def rendered():
        obj = tenant(kube, namespace, tenant_name)
        status = (obj or {}).get("status") or {}
        c = condition(obj, "Ready")
        return (
            c
            and c["status"] == "True"
            and status.get("observedGeneration") == obj["metadata"]["generation"]
            and status.get("configHash") not in (None, previous_hash)
            and obj
        )

    return wait_for(rendered, timeout=60, what=f"Tenant {tenant_name} to render a new configuration")


def measure(predicate, timeout: float = 60, what: str = "change") -> float:
    started = time.monotonic()
    wait_for(predicate, timeout=timeout, interval=0.2, what=what)
    return time.monotonic() - started


# ---------------------------------------------------------------------------------------


def test_chart_is_lint_clean_and_declares_least_privilege(chart_manifests):
    docs = [d for d in yaml.safe_load_all(chart_manifests) if d]
    kinds = sorted({d["kind"] for d in docs})
    assert kinds == [
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "Deployment",
        "Role",
        "RoleBinding",
        "ServiceAccount",
    ]
    cluster_role = next(d for d in docs if d["kind"] == "ClusterRole")
    verbs = {v for rule in cluster_role["rules"] for v in rule["verbs"]}
    assert "delete" not in verbs and "*" not in verbs, cluster_role
    # The chart ships exactly the generated CRDs.
    for crd in (d for d in docs if d["kind"] == "CustomResourceDefinition"):
        committed = yaml.safe_load((REPO_ROOT / "crds" / f"{crd['metadata']['name']}.yaml").read_text())
        assert crd == committed


def test_operator_serves_probes_and_metrics(operator):
    assert operator.probe("/healthz") == 200
    assert operator.probe("/readyz") == 200
    wait_for(lambda: "authlet_operator_leader 1" in operator.metrics(), timeout=30, what="leadership")


def test_example_renders_and_a_sidecar_follows_every_change(installed, operator, sidecar_bin, tmp_path):
    kube = installed
    apply_examples(kube)
    # The Tenant is applied before its Applications: it may render first without them.
    wait_for(
        lambda: ((tenant(kube, "shop", "acme") or {}).get("status") or {}).get("applications")
        == ["backoffice", "storefront"],
        timeout=60,
        what="both example Applications rendered",
    )
    acme = wait_condition(kube, tenant, "shop", "acme", "True", "Rendered")

    status = acme["status"]
    assert status["configSecret"] == "acme-authlet-config"
    assert status["applications"] == ["backoffice", "storefront"]
    storage = condition(acme, "SharedStorage")
    assert storage["status"] == "False" and storage["reason"] == "PerPodSQLite"
    assert "per pod" in storage["message"] or "own SQLite" in storage["message"]
    for name in ("storefront", "backoffice"):
        app = wait_condition(kube, application, "shop", name, "True", "Rendered")
        assert app["status"]["tenantId"] == status["id"]

    config = rendered_config(kube, "shop", "acme")
    assert config["database"]["url"].startswith("sqlite:///var/lib/authlet/")
    assert config["tenants"][0]["issuer"] == "shop.example.com"
    assert [a["name"] for a in config["tenants"][0]["applications"]] == ["backoffice", "storefront"]
    assert API_KEY not in json.dumps(config), "the API key must be rendered as a hash only"
    signing = secret(kube, "shop", "acme-authlet-signing-key")
    assert signing is not None and config["keys"][0]["id"] == secret_text(signing, "id")
    assert secret(kube, "shop", "acme-authlet-config")["metadata"]["ownerReferences"][0]["kind"] == "Tenant"

    # For a sidecar on this machine: a free port and a database file of its own.
    port = free_port()
    database = tmp_path / "authlet.db"
    apply_object(kube, {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "acme-database", "namespace": "shop"},
        "stringData": {"url": f"sqlite://{database}"},
    })
    merge_patch(kube, "tenant", "shop", "acme", {
        "spec": {"listen": f"127.0.0.1:{port}", "database": {"urlSecretRef": {"name": "acme-database", "key": "url"}}}
    })
    acme = wait_rendered(kube, "shop", "acme", status["configHash"])
    assert condition(acme, "SharedStorage")["status"] == "True"

    mount = SecretMount(kube, "shop", "acme-authlet-config", tmp_path / "mount")
    mount.start()
    sidecar = SidecarProcess(sidecar_bin, mount.path, f"127.0.0.1:{port}", tmp_path)
    try:
        sidecar.start()
        follow_changes(kube, sidecar, acme)
    except BaseException:
        print(sidecar.log_tail())
        print(operator.log_tail())
        raise
    finally:
        sidecar.stop()
        mount.stop()


def follow_changes(kube, sidecar: SidecarProcess, acme: dict) -> None:
    config = rendered_config(kube, "shop", "acme")
    storefront = next(a["id"] for a in config["tenants"][0]["applications"] if a["name"] == "storefront")
    backoffice = next(a["id"] for a in config["tenants"][0]["applications"] if a["name"] == "backoffice")
    keyed = ConformanceClient(API_KEY, sidecar.base_url)
    anonymous = ConformanceClient(None, sidecar.base_url)

    account = create_account(keyed, register=[storefront])
    response = keyed.login(login_request(account, storefront))
    assert_status(response, 200)
    body = response.success_response
    assert "refreshToken" not in body, "storefront starts without refresh tokens"
    verify_against_jwks(sidecar, body["token"], storefront, config["keys"][0]["id"])
    # requireAuthentication: true — no API key, no login.
    assert anonymous.login(login_request(account, storefront)).status == 401

    # The Application changes: the sidecar follows without a restart.
    merge_patch(kube, "application", "shop", "storefront", {
        "spec": {"loginConfiguration": {"generateRefreshTokens": True, "requireAuthentication": False}}
    })

    def anonymous_login_gets_a_refresh_token() -> bool:
        r = anonymous.login(login_request(account, storefront))
        return r.status == 200 and "refreshToken" in r.success_response

    seconds = measure(anonymous_login_gets_a_refresh_token, what="the Application change to reach the sidecar")
    print(f"Application patch → sidecar behaviour: {seconds:.1f}s")
    assert seconds < 30

    # The Tenant changes: a two-factor id now lives one second.
    two_factor_secret = enable_authenticator(keyed, account)
    assert complete_two_factor_after(keyed, anonymous, account, storefront, two_factor_secret, 2.0) == 200
    previous = acme["status"]["configHash"]
    merge_patch(kube, "tenant", "shop", "acme", {
        "spec": {
            "externalIdentifierConfiguration": {"twoFactorIdTimeToLiveInSeconds": 1},
            "loginRecordConfiguration": {"delete": {"enabled": True, "numberOfDaysToRetain": 7}},
        }
    })
    acme = wait_rendered(kube, "shop", "acme", previous)
    tenant_config = rendered_config(kube, "shop", "acme")["tenants"][0]
    assert tenant_config["externalIdentifierConfiguration"]["twoFactorIdTimeToLiveInSeconds"] == 1
    assert tenant_config["loginRecordConfiguration"]["delete"] == {"enabled": True, "numberOfDaysToRetain": 7}
    wait_for(
        lambda: complete_two_factor_after(keyed, anonymous, account, storefront, two_factor_secret, 2.0) == 404,
        timeout=60,
        what="the two-factor TTL change to reach the sidecar",
    )

    # Deleting an Application removes it from the configuration, and from the sidecar.
    assert_status(keyed.register({"registration": {"applicationId": backoffice}}, account.id), 200)
    kube.kubectl("delete", "application", "backoffice", "-n", "shop")
    acme = wait_rendered(kube, "shop", "acme", acme["status"]["configHash"])
    assert acme["status"]["applications"] == ["storefront"]
    assert backoffice not in json.dumps(rendered_config(kube, "shop", "acme"))
    wait_for(
        lambda: keyed.login(login_request(account, backoffice)).status != 200,
        timeout=60,
        what="the deleted Application to leave the sidecar",
    )


def verify_against_jwks(sidecar: SidecarProcess, token: str, audience: str, key_id: str) -> None:
    jwks = requests.get(f"{sidecar.base_url}/.well-known/jwks.json", timeout=5).json()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256" and header["kid"] == key_id
    key = next(k for k in jwks["keys"] if k["kid"] == key_id)
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["ES256"], audience=audience)
    assert claims["iss"] == "shop.example.com"


# The last TOTP step each test user consumed: a code is accepted once, so the next
# completion must use a later step.
_last_step: dict[str, int] = {}


def enable_authenticator(client: ConformanceClient, account) -> bytes:
    """Enable TOTP for `account`; the raw key, with the step enabling consumed noted."""
    enabled = harness_enable_authenticator(client, account)
    _last_step[account.id] = enabled.enabled_at_step
    return base64.b64decode(enabled.secret)


def complete_two_factor_after(keyed, anonymous, account, application_id, key: bytes, delay: float) -> int:
    """Start a login (242), wait `delay` seconds, complete it; the completion's status."""
    started = anonymous.login(login_request(account, application_id))
    assert started.status == 242, started.response.text
    two_factor_id = started.success_response["twoFactorId"]
    time.sleep(delay)
    step = fresh_totp_step(after_step=_last_step[account.id], margin_seconds=0.5)
    _last_step[account.id] = step
    completed = anonymous.two_factor_login({
        "twoFactorId": two_factor_id,
        "code": totp_code_for_step(key, step),
        "applicationId": application_id,
    })
    return completed.status


# ---------------------------------------------------------------------------------------


_KEY_ID = "0a7e5b1c-3d2f-4c6b-8e9a-1f0d2c3b4a59"


def _hs256_key(key: str, key_id: str | None = None) -> dict:
    reference = {"algorithm": "HS256", "secretRef": {"name": "keys", "key": key}}
    return {**reference, "id": key_id} if key_id else reference


@pytest.mark.parametrize(
    "spec, field",
    [
        ({"externalIdentifierConfiguration": {"twoFactorIdTimeToLiveInSeconds": 0}},
         "spec.externalIdentifierConfiguration.twoFactorIdTimeToLiveInSeconds"),
        ({"passwordEncryptionConfiguration": {"encryptionScheme": "rot13"}},
         "spec.passwordEncryptionConfiguration.encryptionScheme"),
        ({"jwtConfiguration": {"refreshTokenUsagePolicy": "Sometimes"}},
         "spec.jwtConfiguration.refreshTokenUsagePolicy"),
        ({"failedAuthenticationConfiguration": {"actionDurationUnit": "FORTNIGHTS"}},
         "spec.failedAuthenticationConfiguration.actionDurationUnit"),
        ({"loginRecordConfiguration": {"delete": {"numberOfDaysToRetain": -3}}},
         "spec.loginRecordConfiguration.delete.numberOfDaysToRetain"),
        ({"id": "not-a-uuid"}, "spec.id"),
        ({"passwordValidationRules": {"minLength": 30, "maxLength": 20}},
         "spec.passwordValidationRules.minLength"),
        ({"jwtConfiguration": {"accessTokenKeyId": "0a7e5b1c-3d2f-4c6b-8e9a-1f0d2c3b4a59"}},
         "spec.jwtConfiguration.accessTokenKeyId"),
        ({"apiKeys": [{"secretRef": {"name": "x"}}]}, "spec.apiKeys[0].secretRef.key"),
        ({"issuerr": "typo.example"}, "issuerr"),
        # Accepted until the CRD said otherwise, then never rendered (issue 6, item 10):
        ({"listen": "localhost:9011"}, "spec.listen"),
        ({"listen": "127.0.0.1:70000"}, "spec.listen"),
        ({"issuer": "   "}, "spec.issuer"),
        ({"name": " "}, "spec.name"),
        ({"passwordEncryptionConfiguration": {"encryptionScheme": "bcrypt", "encryptionSchemeFactor": 40}},
         "spec.passwordEncryptionConfiguration.encryptionSchemeFactor"),
        ({"signingKeys": [_hs256_key("a"), _hs256_key("b")]}, "spec.jwtConfiguration.accessTokenKeyId"),
        ({"apiKeys": [{"secretRef": {"name": "Keys_Of_Acme", "key": "main"}}]}, "spec.apiKeys[0].secretRef.name"),
        ({"database": {"urlSecretRef": {"name": "db", "key": "url?"}}}, "spec.database.urlSecretRef.key"),
        # Refused before, untested here:
        ({"signingKeys": [_hs256_key("a", _KEY_ID), _hs256_key("b", _KEY_ID)],
          "jwtConfiguration": {"accessTokenKeyId": _KEY_ID}}, "spec.signingKeys"),
        ({"signingKeys": [{"algorithm": "HS1", "secretRef": {"name": "keys", "key": "a"}}]},
         "spec.signingKeys[0].algorithm"),
    ],
)
def test_invalid_tenant_specs_are_refused_naming_the_field(installed, spec, field):
    installed.ensure_namespace("invalid")
    with pytest.raises(KubectlError) as refused:
        installed.kubectl("apply", "--server-side", "--field-manager=test", "-f", "-", input=json.dumps({
            "apiVersion": "authlet.io/v1alpha1",
            "kind": "Tenant",
            "metadata": {"name": "bad", "namespace": "invalid"},
            "spec": spec,
        }))
    assert field in refused.value.stderr, refused.value.stderr
    assert tenant(installed, "invalid", "bad") is None


@pytest.mark.parametrize(
    "spec, field",
    [
        ({"tenantRef": {"name": "t"}, "loginConfiguration": {"generateRefreshTokens": "yes"}},
         "spec.loginConfiguration.generateRefreshTokens"),
        ({"tenantRef": {"name": "t"}, "roles": [{"name": "a"}, {"name": "a"}]}, "spec.roles"),
        ({"tenantRef": {"name": "t"}, "jwtConfiguration": {"timeToLiveInSeconds": 0}},
         "spec.jwtConfiguration.timeToLiveInSeconds"),
        ({"roles": [{"name": "user"}]}, "spec.tenantRef"),
        ({"tenantRef": {"name": ""}}, "spec.tenantRef.name"),
        ({"tenantRef": {"name": "t"}, "name": ""}, "spec.name"),
        # Accepted until the CRD said otherwise, then never rendered (issue 6, item 10):
        ({"tenantRef": {"name": "Acme"}}, "spec.tenantRef.name"),
        ({"tenantRef": {"name": "t"}, "roles": [{"name": "user"}, {"name": "  "}]}, "spec.roles"),
        ({"tenantRef": {"name": "t"}, "name": "\t"}, "spec.name"),
    ],
)
def test_invalid_application_specs_are_refused_naming_the_field(installed, spec, field):
    installed.ensure_namespace("invalid")
    with pytest.raises(KubectlError) as refused:
        installed.kubectl("apply", "--server-side", "--field-manager=test", "-f", "-", input=json.dumps({
            "apiVersion": "authlet.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": "bad", "namespace": "invalid"},
            "spec": spec,
        }))
    assert field in refused.value.stderr, refused.value.stderr
    assert application(installed, "invalid", "bad") is None


def test_a_tenant_name_too_long_to_label_its_secrets_is_refused(installed):
    """Regression (issue 6, item 10): a Tenant's name is the value of the
    authlet.io/tenant label on its Secrets, and label values stop at 63 characters.
    A longer name was accepted and could never be rendered."""
    installed.ensure_namespace("invalid")
    with pytest.raises(KubectlError) as refused:
        apply_default_tenant(installed, "invalid", "t" * 64)
    assert "metadata.name must be at most 63 characters" in refused.value.stderr, refused.value.stderr
    # 63 is enough: tests/operator/test_churn.py renders a Tenant with such a name.


def test_ids_are_immutable(installed, operator):
    installed.ensure_namespace("immutable")
    tenant_object = {
        "apiVersion": "authlet.io/v1alpha1",
        "kind": "Tenant",
        "metadata": {"name": "fixed", "namespace": "immutable"},
        "spec": {"id": "11111111-2222-4333-8444-555555555555"},
    }
    apply_object(installed, tenant_object)
    tenant_object["spec"]["id"] = "11111111-2222-4333-8444-666666666666"
    with pytest.raises(KubectlError) as refused:
        apply_object(installed, tenant_object)
    assert "id is immutable" in refused.value.stderr

    application_object = {
        "apiVersion": "authlet.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "fixed", "namespace": "immutable"},
        "spec": {"tenantRef": {"name": "fixed"}, "id": "11111111-2222-4333-8444-777777777777"},
    }
    apply_object(installed, application_object)
    application_object["spec"]["id"] = "11111111-2222-4333-8444-888888888888"
    with pytest.raises(KubectlError) as refused:
        apply_object(installed, application_object)
    assert "spec.id" in refused.value.stderr and "id is immutable" in refused.value.stderr


def test_missing_tenant_and_secret_show_in_conditions(installed, operator):
    kube = installed
    kube.ensure_namespace("broken")
    apply_object(kube, {
        "apiVersion": "authlet.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "orphan", "namespace": "broken"},
        "spec": {"tenantRef": {"name": "ghost"}},
    })
    orphan = wait_condition(kube, application, "broken", "orphan", "False", "TenantNotFound")
    assert "ghost" in condition(orphan, "Ready")["message"]

    apply_object(kube, {
        "apiVersion": "authlet.io/v1alpha1",
        "kind": "Tenant",
        "metadata": {"name": "ghost", "namespace": "broken"},
        "spec": {"apiKeys": [{"secretRef": {"name": "ghost-keys", "key": "main"}}]},
    })
    ghost = wait_condition(kube, tenant, "broken", "ghost", "False", "SecretNotFound")
    assert "ghost-keys" in condition(ghost, "Ready")["message"]
    assert secret(kube, "broken", "ghost-authlet-config") is None
    orphan = wait_condition(kube, application, "broken", "orphan", "False", "TenantNotReady")

    # The Secret appears: the Secret watch re-renders at once, and the Application follows.
    apply_object(kube, {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "ghost-keys", "namespace": "broken"},
        "stringData": {"main": "a-perfectly-long-api-key-0123"},
    })
    wait_condition(kube, tenant, "broken", "ghost", "True", "Rendered", timeout=30)
    wait_condition(kube, application, "broken", "orphan", "True", "Rendered", timeout=30)
    events = kube.request("GET", "/apis/events.k8s.io/v1/namespaces/broken/events")[1]["items"]
    reasons = {e["reason"] for e in events}
    assert {"TenantNotFound", "SecretNotFound", "Rendered"} <= reasons, reasons


def test_an_unchanged_cluster_causes_no_writes(installed, operator):
    kube = installed
    kube.ensure_namespace("steady")
    apply_default_tenant(kube, "steady", "steady")
    before = wait_condition(kube, tenant, "steady", "steady", "True", "Rendered")
    config_version = secret(kube, "steady", "steady-authlet-config")["metadata"]["resourceVersion"]
    key_version = secret(kube, "steady", "steady-authlet-signing-key")["metadata"]["resourceVersion"]
    reconciles = operator.reconciles("Tenant")
    # A metadata-only change triggers a reconcile that must find nothing to do.
    for i in range(3):
        kube.kubectl("label", "tenant", "steady", "-n", "steady", f"touch=t{i}", "--overwrite")
    wait_for(lambda: operator.reconciles("Tenant") >= reconciles + 3, timeout=30, what="three more reconciles")
    after = tenant(kube, "steady", "steady")
    assert secret(kube, "steady", "steady-authlet-config")["metadata"]["resourceVersion"] == config_version
    assert secret(kube, "steady", "steady-authlet-signing-key")["metadata"]["resourceVersion"] == key_version
    assert after["status"] == before["status"]


def test_deleting_a_tenant_leaves_nothing_behind(installed, operator):
    kube = installed
    kube.ensure_namespace("leaving")
    apply_default_tenant(kube, "leaving", "gone")
    wait_condition(kube, tenant, "leaving", "gone", "True", "Rendered")
    assert secret(kube, "leaving", "gone-authlet-signing-key") is not None
    kube.kubectl("delete", "tenant", "gone", "-n", "leaving")
    wait_for(
        lambda: secret(kube, "leaving", "gone-authlet-config") is None
        and secret(kube, "leaving", "gone-authlet-signing-key") is None,
        timeout=90,
        what="the Tenant's Secrets to be garbage-collected",
    )


def test_a_standby_replica_takes_over_when_the_leader_stops(installed, operator, operator_bin, tmp_path):
    """Stops the session's operator, so runs after every test that needs it (file order)."""
    kube = installed
    standby = OperatorProcess(kube, operator_bin, tmp_path, "replica-b")
    standby.start()
    try:
        time.sleep(3)
        lease = kube.request("GET", "/apis/coordination.k8s.io/v1/namespaces/authlet-system/leases/authlet-operator")[1]
        assert lease["spec"]["holderIdentity"] == "replica-a"
        assert "authlet_operator_leader 0" in standby.metrics()

        assert operator.stop() == 0, "SIGTERM must stop the leader cleanly"
        wait_for(lambda: "authlet_operator_leader 1" in standby.metrics(), timeout=30, what="the standby to lead")
        kube.ensure_namespace("handover")
        apply_default_tenant(kube, "handover", "after")
        wait_condition(kube, tenant, "handover", "after", "True", "Rendered", timeout=30)
    finally:
        standby.stop()


def test_a_leader_stuck_in_a_reconcile_stops_within_the_grace_period(installed, operator_bin, tmp_path):
    """An API server that stops answering holds a reconcile in flight; SIGTERM must still
    end the operator well within the pod's 30 s grace period, its lease released or left
    to expire, rather than wait for the reconcile until the kubelet kills it. Runs after
    the standby test (file order), when no replica leads."""
    kube = installed
    with DelayedLink(kube.url, 0) as link:
        replica = OperatorProcess(kube, operator_bin, tmp_path, "replica-c")
        replica.start(server=link.url)
        try:
            wait_for(lambda: "authlet_operator_leader 1" in replica.metrics(), timeout=30, what="replica-c to lead")
            kube.ensure_namespace("stuck")
            apply_default_tenant(kube, "stuck", "held")
            wait_condition(kube, tenant, "stuck", "held", "True", "Rendered", timeout=30)

            # From now on nothing the operator sends reaches the API server for 10 minutes;
            # watch events still reach the operator, so the change below starts a
            # reconcile whose first request hangs.
            link.delay = 600
            merge_patch(kube, "tenant", "stuck", "held", {"spec": {"jwtConfiguration": {"timeToLiveInSeconds": 1200}}})
            time.sleep(3)
            started = time.monotonic()
            assert replica.stop(timeout=25) == 0, "SIGTERM must stop it cleanly"
            took = time.monotonic() - started
            log = replica.log_tail(200)
            assert "abandoning their reconciles" in log, log
            # The controllers' 10 s, the lease's release (5 s) and the probes' (2 s).
            assert took < 20, f"took {took:.1f} s to stop\n{log}"
        finally:
            replica.stop()
