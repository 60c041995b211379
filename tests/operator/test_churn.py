"""Operator churn (issue 6, item 10): a converged operator that is woken again and again
writes nothing, and an operator killed in the middle of its work, again and again,
still converges on exactly the objects it should — one configuration Secret and at most
one generated signing key per Tenant, none left over, every status Ready, every
rendered configuration matching its Tenant, Applications and Secrets.

The proof of "no writes" is the API server's own audit log (the session's cluster is
audited), read for the operator's ServiceAccount, besides the resourceVersions of the
Secrets it owns and the time of its last status write on every object.

The default run is the issue's size: 100 reconciles and 10 kills. Longer runs:

    AUTHLET_CHURN_RECONCILES=1000 AUTHLET_CHURN_KILLS=100 pytest tests/operator/test_churn.py

AUTHLET_CHURN_SEED replays a run (each run prints its seed).

This file runs before test_operator.py (file order) and leaves the session's operator
running, restarted, as that file expects.
"""

from __future__ import annotations

import copy
import hashlib
import os
import random
import time
from dataclasses import dataclass, field

import pytest
import yaml

from cluster import wait_for
from k8s import (
    OPERATOR_USER,
    apply_object,
    application,
    condition,
    secret,
    secret_text,
    tenant,
)
from latency import DelayedLink

NAMESPACE = "churn"
GROUP = "/apis/authlet.io/v1alpha1"
MANAGED = "app.kubernetes.io/managed-by=authlet-operator"
WRITES = {"create", "update", "patch", "delete", "deletecollection"}

RECONCILES = int(os.environ.get("AUTHLET_CHURN_RECONCILES", "100"))
KILLS = int(os.environ.get("AUTHLET_CHURN_KILLS", "10"))
# How much later the operator's requests reach the API server while it is being killed.
LINK_DELAY = 0.2

# The longest name a Tenant may have (it labels the Secrets rendered for it): the
# batch includes one, so that the limit the CRD enforces is proven to be enough.
LONGEST = "longest-tenant-name-the-crd-admits-" + "x" * 28
HMAC_KEY_IDS = ["6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b", "7a2d3c4b-5e6f-4071-9b8c-0d1e2f3a4b5c"]


@dataclass
class Batch:
    """What the test put in the cluster: Tenants, Applications and the Secrets they
    reference. What the operator must have made of them follows from it alone."""

    tenants: dict[str, dict] = field(default_factory=dict)
    applications: dict[str, dict] = field(default_factory=dict)
    api_keys: dict[str, str] = field(default_factory=dict)
    # A generated signing key Secret's uid, once seen: it must never be replaced.
    signing_key_uids: dict[str, str] = field(default_factory=dict)

    def apply_tenant(self, kube, name: str) -> None:
        apply_object(kube, {
            "apiVersion": "authlet.io/v1alpha1",
            "kind": "Tenant",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": self.tenants[name],
        })

    def apply_application(self, kube, name: str) -> None:
        apply_object(kube, {
            "apiVersion": "authlet.io/v1alpha1",
            "kind": "Application",
            "metadata": {"name": name, "namespace": NAMESPACE},
            "spec": self.applications[name],
        })

    def apply_api_key(self, kube, tenant_name: str) -> None:
        apply_object(kube, {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": f"{tenant_name}-api-key", "namespace": NAMESPACE},
            "stringData": {"key": self.api_keys[tenant_name]},
        })

    def problems(self, kube) -> list[str]:
        """Everything that differs from convergence; empty once converged."""
        found: list[str] = []
        managed = kube.request("GET", f"/api/v1/namespaces/{NAMESPACE}/secrets?labelSelector={MANAGED}")[1]
        by_name = {s["metadata"]["name"]: s for s in managed["items"]}
        expected = {f"{t}-authlet-config" for t in self.tenants}
        expected |= {f"{t}-authlet-signing-key" for t, spec in self.tenants.items() if not spec.get("signingKeys")}
        if set(by_name) != expected:
            found.append(f"managed Secrets {sorted(by_name)}, expected {sorted(expected)}")
        for name, spec in self.tenants.items():
            found += self._tenant_problems(kube, name, spec, by_name)
        for name, spec in self.applications.items():
            obj = application(kube, NAMESPACE, name)
            ready = condition(obj, "Ready")
            owner = tenant(kube, NAMESPACE, spec["tenantRef"]["name"])
            if not ready or ready["status"] != "True" or ready["reason"] != "Rendered":
                found.append(f"Application {name}: Ready is {ready}")
            elif obj["status"].get("observedGeneration") != obj["metadata"]["generation"]:
                found.append(f"Application {name}: status is of an older generation")
            elif obj["status"].get("tenantId") != ((owner or {}).get("status") or {}).get("id"):
                found.append(f"Application {name}: tenantId {obj['status'].get('tenantId')} is not its Tenant's")
        return found

    def _tenant_problems(self, kube, name: str, spec: dict, managed: dict[str, dict]) -> list[str]:
        obj = tenant(kube, NAMESPACE, name)
        ready = condition(obj, "Ready")
        if not ready or ready["status"] != "True" or ready["reason"] != "Rendered":
            return [f"Tenant {name}: Ready is {ready}"]
        status = obj["status"]
        if status.get("observedGeneration") != obj["metadata"]["generation"]:
            return [f"Tenant {name}: status is of an older generation"]
        found = []
        for secret_name, owned in managed.items():
            if owned["metadata"]["labels"].get("authlet.io/tenant") != name:
                continue
            owners = owned["metadata"].get("ownerReferences") or []
            if [(o["uid"], o.get("controller")) for o in owners] != [(obj["metadata"]["uid"], True)]:
                found.append(f"Secret {secret_name}: owners {owners}, expected only Tenant {name}")
        config_secret = managed.get(f"{name}-authlet-config")
        if config_secret is None:
            return found + [f"Tenant {name}: no configuration Secret"]
        text = secret_text(config_secret, "config.yaml")
        config_hash = hashlib.sha256(text.encode()).hexdigest()
        if status.get("configHash") != config_hash:
            found.append(f"Tenant {name}: status.configHash is not the Secret's content")
        if config_secret["metadata"]["annotations"].get("authlet.io/config-hash") != config_hash:
            found.append(f"Secret {name}-authlet-config: hash annotation is not its content")
        config = yaml.safe_load(text)
        rendered = config["tenants"][0]
        mine = sorted(a for a, s in self.applications.items() if s["tenantRef"]["name"] == name)
        if status.get("applications") != mine:
            found.append(f"Tenant {name}: status.applications {status.get('applications')}, expected {mine}")
        if sorted(a["name"] for a in rendered["applications"]) != mine:
            found.append(f"Tenant {name}: rendered applications {[a['name'] for a in rendered['applications']]}")
        for rendered_application in rendered["applications"]:
            wanted = self.applications.get(rendered_application["name"], {})
            if [r["name"] for r in rendered_application["roles"]] != [r["name"] for r in wanted.get("roles", [])]:
                found.append(f"Tenant {name}: roles of {rendered_application['name']} are stale")
        if rendered["issuer"] != spec["issuer"]:
            found.append(f"Tenant {name}: issuer {rendered['issuer']}, expected {spec['issuer']}")
        ttl = spec["externalIdentifierConfiguration"]["twoFactorIdTimeToLiveInSeconds"]
        if rendered["externalIdentifierConfiguration"]["twoFactorIdTimeToLiveInSeconds"] != ttl:
            found.append(f"Tenant {name}: twoFactorIdTimeToLiveInSeconds is stale")
        key_hash = hashlib.sha256(self.api_keys[name].encode()).hexdigest()
        if [k["keyHash"] for k in config["apiKeys"]] != [key_hash]:
            found.append(f"Tenant {name}: the API key is not the referenced Secret's current one")
        if spec.get("signingKeys"):
            if [k["id"] for k in config["keys"]] != HMAC_KEY_IDS:
                found.append(f"Tenant {name}: keys {config['keys']}, expected the referenced ones")
        else:
            generated = managed.get(f"{name}-authlet-signing-key")
            if generated is None:
                return found + [f"Tenant {name}: no signing key Secret"]
            first = self.signing_key_uids.setdefault(name, generated["metadata"]["uid"])
            if generated["metadata"]["uid"] != first:
                found.append(f"Tenant {name}: its generated signing key was replaced")
            if [k["id"] for k in config["keys"]] != [secret_text(generated, "id")]:
                found.append(f"Tenant {name}: the rendered key is not the generated one")
        return found

    def wait_converged(self, kube, operator, timeout: float = 180) -> None:
        last: list[list[str]] = [[]]

        def converged() -> bool:
            last[0] = self.problems(kube)
            return not last[0]

        try:
            wait_for(converged, timeout=timeout, interval=1, what="convergence")
        except TimeoutError:
            print(operator.log_tail(120))
            raise AssertionError("not converged:\n  " + "\n  ".join(last[0])) from None


def initial_batch() -> Batch:
    batch = Batch()
    for t in ("alpha", "bravo", "charlie", "delta", "echo", LONGEST):
        batch.tenants[t] = {
            "issuer": f"{t[:20]}.example.com",
            "externalIdentifierConfiguration": {"twoFactorIdTimeToLiveInSeconds": 300},
            "apiKeys": [{"secretRef": {"name": f"{t}-api-key", "key": "key"}}],
        }
        batch.api_keys[t] = f"{t[:20]}-api-key-0-0123456789abcdef"
        for i in range(4):
            batch.applications[f"{t[:20]}-app-{i}"] = {
                "tenantRef": {"name": t},
                "roles": [{"name": "user"}],
            }
    # One Tenant with its own keys (and so no generated one).
    batch.tenants["bravo"]["signingKeys"] = [
        {"id": key_id, "algorithm": "HS256", "secretRef": {"name": "bravo-signing", "key": f"k{i}"}}
        for i, key_id in enumerate(HMAC_KEY_IDS)
    ]
    batch.tenants["bravo"]["jwtConfiguration"] = {"accessTokenKeyId": HMAC_KEY_IDS[0]}
    return batch


@pytest.fixture(scope="module")
def batch(installed, operator) -> Batch:
    kube = installed
    kube.ensure_namespace(NAMESPACE)
    apply_object(kube, {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "bravo-signing", "namespace": NAMESPACE},
        "stringData": {f"k{i}": f"an-hmac-secret-of-more-than-32-bytes-{i}" for i in range(2)},
    })
    built = initial_batch()
    for t in built.tenants:
        built.apply_api_key(kube, t)
        built.apply_tenant(kube, t)
    for a in built.applications:
        built.apply_application(kube, a)
    built.wait_converged(kube, operator)
    return built


# ---------------------------------------------------------------------------------------


def operator_writes(kube, since: int) -> list[str]:
    """The operator's writes in the audit log after its first `since` events, but for
    its Lease: renewing leadership is not a reconcile's doing."""
    writes = []
    for event in kube.audit_events()[since:]:
        ref = event.get("objectRef") or {}
        if event["user"]["username"] == OPERATOR_USER and event["verb"] in WRITES and ref.get("resource") != "leases":
            writes.append(f"{event['verb']} {event['requestURI']} -> {event['responseStatus'].get('code')}")
    return writes


def audit_barrier(kube, label: str) -> int:
    """Makes a write of its own and waits until the audit log holds it: every request
    that completed before is logged too. Returns the number of events logged."""
    name = f"audit-barrier-{label}-{time.monotonic_ns()}"
    status, body = kube.request("POST", f"/api/v1/namespaces/{NAMESPACE}/configmaps", body={
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name},
    })
    assert status == 201, body

    def logged() -> int:
        events = kube.audit_events()
        for i, event in enumerate(events):
            if (event.get("objectRef") or {}).get("name") == name:
                return i + 1
        return 0

    return wait_for(logged, timeout=30, interval=0.2, what="the audit log to catch up")


def footprint(kube) -> dict[str, object]:
    """What a write by the operator would change: the resourceVersion of every Secret
    it manages, and the status and the time of its last status write of every Tenant
    and Application (their own resourceVersions move with the test's labels)."""
    seen: dict[str, object] = {}
    managed = kube.request("GET", f"/api/v1/namespaces/{NAMESPACE}/secrets?labelSelector={MANAGED}")[1]
    for s in managed["items"]:
        seen[f"Secret/{s['metadata']['name']}"] = s["metadata"]["resourceVersion"]
    for plural in ("tenants", "applications"):
        for obj in kube.request("GET", f"{GROUP}/namespaces/{NAMESPACE}/{plural}")[1]["items"]:
            writes = [
                (m.get("subresource"), m["time"])
                for m in obj["metadata"]["managedFields"]
                if m["manager"] == "authlet-operator"
            ]
            seen[f"{plural}/{obj['metadata']['name']}"] = (obj.get("status"), writes)
    return seen


def touch(kube, path: str, i: int) -> None:
    """A metadata-only change: the object's generation, spec and data stay as they are,
    but every watch sees it."""
    status, body = kube.request(
        "PATCH", path, body={"metadata": {"labels": {"churn-touch": str(i)}}},
        content_type="application/merge-patch+json",
    )
    assert status == 200, body


def reconcile_without_writes(kube, operator, batch: Batch, reconciles: int) -> None:
    """Wake the converged operator until it has reconciled `reconciles` more times,
    through every watch it has; then prove that it wrote nothing."""
    before = footprint(kube)
    since = audit_barrier(kube, "start")
    start = {k: operator.reconciles(k) for k in ("Tenant", "Application")}
    failures = {k: operator.metric("reconcile_failures", k) for k in ("Tenant", "Application")}
    # Tenants wake their Applications, Applications every Tenant of the namespace, and a
    # referenced Secret the Tenants that reference it.
    targets = [f"{GROUP}/namespaces/{NAMESPACE}/tenants/{t}" for t in batch.tenants]
    targets += [f"{GROUP}/namespaces/{NAMESPACE}/applications/{a}" for a in batch.applications]
    targets += [f"/api/v1/namespaces/{NAMESPACE}/secrets/{t}-api-key" for t in batch.tenants]

    def done() -> float:
        return sum(operator.reconciles(k) - start[k] for k in start)

    i = 0
    while done() < reconciles:
        assert i < 20 * reconciles, f"only {done()} reconciles after {i} changes"
        touch(kube, targets[i % len(targets)], i)
        i += 1
        # Let the controllers keep up, so that changes to one object are not all merged
        # into one reconcile.
        if i % len(targets) == 0:
            time.sleep(0.5)
    wait_for(lambda: done() >= reconciles, timeout=60, what=f"{reconciles} reconciles")
    # The last changes' reconciles may still be running; they must not write either.
    settled: list[float] = [-1]

    def quiet() -> bool:
        now, settled[0] = settled[0], done()
        return now == settled[0]

    wait_for(quiet, timeout=60, interval=2, what="the reconciles to settle")
    counted = {k: operator.reconciles(k) - start[k] for k in start}
    print(f"{counted} reconciles after {i} metadata-only changes")
    assert counted["Tenant"] > 0 and counted["Application"] > 0, counted

    audit_barrier(kube, "end")
    assert operator_writes(kube, since) == []
    assert footprint(kube) == before
    assert {k: operator.metric("reconcile_failures", k) for k in failures} == failures


def test_a_converged_operator_woken_many_times_writes_nothing(installed, operator, batch):
    """Builds on test_an_unchanged_cluster_causes_no_writes (one Tenant, three labels):
    several Tenants with Applications, referenced API keys and both kinds of signing key,
    woken through every watch, and the audit log as witness."""
    reconcile_without_writes(installed, operator, batch, RECONCILES)


# ---------------------------------------------------------------------------------------


def mutate(kube, batch: Batch, rng: random.Random, cycle: int) -> list[str]:
    """Changes every object's spec, so that the whole sweep after a restart has writes
    to make (a Secret and a status per Tenant, a status per Application), plus a few
    random changes of the kinds users make: an issuer, an Application moved to another
    Tenant, one deleted and another created, an API key rotated. Returns the random
    ones, for the failure message."""
    for t in sorted(batch.tenants):
        batch.tenants[t]["externalIdentifierConfiguration"]["twoFactorIdTimeToLiveInSeconds"] = 60 + cycle
        batch.apply_tenant(kube, t)
    for a in sorted(batch.applications):
        batch.applications[a]["roles"] = [{"name": "user"}, {"name": f"role-{cycle}"}]
        batch.apply_application(kube, a)
    done = []
    tenants = sorted(batch.tenants)
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["issuer", "move", "replace", "rotate"])
        if kind in ("issuer", "rotate"):
            t = rng.choice(tenants)
            done.append(f"{kind} {t}")
            if kind == "issuer":
                batch.tenants[t]["issuer"] = f"{t[:20]}-{cycle}.example.com"
                batch.apply_tenant(kube, t)
            else:
                batch.api_keys[t] = f"{t[:20]}-api-key-{cycle}-{len(done)}-0123456789abcdef"
                batch.apply_api_key(kube, t)
            continue
        a = rng.choice(sorted(batch.applications))
        done.append(f"{kind} {a}")
        if kind == "move":
            batch.applications[a]["tenantRef"] = {"name": rng.choice(tenants)}
            batch.apply_application(kube, a)
        else:
            spec = batch.applications.pop(a)
            kube.kubectl("delete", "application", a, "-n", NAMESPACE, "--wait=false")
            a = f"app-of-cycle-{cycle}-{len(done)}"
            batch.applications[a] = copy.deepcopy(spec)
            batch.apply_application(kube, a)
    return done


def test_an_operator_killed_mid_reconcile_converges_without_duplicates(installed, operator, batch):
    """The operator is SIGKILLed `KILLS` times while it works through a batch that has
    just changed, each time after a seeded-random number of reconciles; it is restarted
    as the same pod would be (same identity, so it takes its own Lease back). In the end
    every object is as the batch says, nothing is duplicated or left over, no generated
    signing key was replaced, and the restarted operator, converged, writes nothing.

    While it is being killed, the operator reaches the API server over a link that
    delays its requests by `LINK_DELAY`. On a local server a whole sweep takes tens of
    milliseconds, less than the test needs to see a reconcile and kill, and then every
    kill lands after convergence and proves nothing (a fast CI machine did just that).
    Over the link an Application's reconcile (one write) ends a delay after the sweep
    starts and a Tenant's (several writes in turn) some delays later, so the kill that
    follows the first reconciles finds Tenants in the middle of theirs."""
    kube = installed
    seed = int(os.environ.get("AUTHLET_CHURN_SEED", random.randrange(2**32)))
    print(f"AUTHLET_CHURN_SEED={seed}")
    rng = random.Random(seed)
    objects = len(batch.tenants) + len(batch.applications)
    unfinished = 0
    try:
        with DelayedLink(kube.url, LINK_DELAY) as link:
            for cycle in range(KILLS):
                operator.kill()
                changes = mutate(kube, batch, rng, cycle)
                operator.start(server=link.url)
                # Leading, the controllers list everything and reconcile each object once,
                # concurrently: kill in the first half of that sweep.
                target = rng.randint(1, objects // 2)
                wait_for(
                    lambda: operator.reconciles("Tenant") + operator.reconciles("Application") >= target,
                    timeout=120,
                    interval=0.02,
                    what=f"reconcile {target} of cycle {cycle} ({changes})",
                )
                operator.kill()
                left = batch.problems(kube)
                print(f"cycle {cycle}: killed after {target} reconciles, {len(left)} problems left; {changes}")
                unfinished += bool(left)
        operator.start()
        batch.wait_converged(kube, operator)
    except BaseException:
        print(f"AUTHLET_CHURN_SEED={seed}")
        raise
    print(f"{unfinished} of {KILLS} kills left the batch unconverged")
    assert unfinished > 0, "no kill landed before convergence: the kills proved nothing"
    reconcile_without_writes(kube, operator, batch, min(RECONCILES, 30))
