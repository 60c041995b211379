"""Helpers for the operator suite: applying manifests, reading objects, waiting on
conditions, running the operator, and mounting a Secret the way the kubelet does."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import requests

from cluster import ApiServer, wait_for

SERVICE_ACCOUNT = "authlet"
OPERATOR_NAMESPACE = "authlet-system"
# Who the operator is to the API server (and in its audit log).
OPERATOR_USER = f"system:serviceaccount:{OPERATOR_NAMESPACE}:{SERVICE_ACCOUNT}"


def apply_manifests(kube: ApiServer, text: str, namespace: str | None = None) -> None:
    args = ["apply", "--server-side", "--field-manager=test", "-f", "-"]
    if namespace:
        args += ["-n", namespace]
    kube.kubectl(*args, input=text)


def apply_object(kube: ApiServer, obj: dict) -> None:
    apply_manifests(kube, json.dumps(obj))


def apply_default_tenant(kube: ApiServer, namespace: str, name: str) -> None:
    """A Tenant with an empty spec: every setting at its default."""
    apply_object(kube, {
        "apiVersion": "authlet.io/v1alpha1",
        "kind": "Tenant",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {},
    })


def wait_established(kube: ApiServer, *crds: str) -> None:
    for crd in crds:
        kube.kubectl("wait", "--for=condition=Established", f"crd/{crd}", "--timeout=60s")


def get(kube: ApiServer, path: str) -> dict | None:
    status, body = kube.request("GET", path)
    if status == 404:
        return None
    assert status == 200, (path, status, body)
    return body


def tenant(kube: ApiServer, namespace: str, name: str) -> dict | None:
    return get(kube, f"/apis/authlet.io/v1alpha1/namespaces/{namespace}/tenants/{name}")


def application(kube: ApiServer, namespace: str, name: str) -> dict | None:
    return get(kube, f"/apis/authlet.io/v1alpha1/namespaces/{namespace}/applications/{name}")


def secret(kube: ApiServer, namespace: str, name: str) -> dict | None:
    return get(kube, f"/api/v1/namespaces/{namespace}/secrets/{name}")


def secret_text(obj: dict, key: str) -> str:
    return base64.b64decode(obj["data"][key]).decode()


def condition(obj: dict | None, type_: str) -> dict | None:
    for c in ((obj or {}).get("status") or {}).get("conditions") or []:
        if c["type"] == type_:
            return c
    return None


def wait_condition(
    kube: ApiServer, getter, namespace: str, name: str, status: str, reason: str | None = None, timeout: float = 60
) -> dict:
    """Wait until the object's Ready condition has `status` (and `reason`) for its
    current generation; return the object."""
    found: dict = {}

    def ready() -> bool:
        obj = getter(kube, namespace, name)
        c = condition(obj, "Ready")
        if not c or c["status"] != status or (reason and c["reason"] != reason):
            return False
        if obj["status"].get("observedGeneration") != obj["metadata"]["generation"]:
            return False
        found["obj"] = obj
        return True

    wait_for(ready, timeout=timeout, what=f"{name} Ready={status} {reason or ''}")
    return found["obj"]


def merge_patch(kube: ApiServer, kind: str, namespace: str, name: str, patch: dict) -> None:
    kube.kubectl("patch", kind, name, "-n", namespace, "--type=merge", "-p", json.dumps(patch))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OperatorProcess:
    """`authlet-operator` authenticated with a token of the chart's ServiceAccount."""

    def __init__(self, kube: ApiServer, binary: Path, workdir: Path, identity: str) -> None:
        self.kube = kube
        self.binary = binary
        self.workdir = workdir
        self.identity = identity
        self.probe_port = free_port()
        self.log_path = workdir / f"{identity}.log"
        self.process: subprocess.Popen | None = None

    def start(self, server: str | None = None) -> None:
        """Starts it, talking to the API server directly or by way of `server`."""
        token = self.kube.create_token(SERVICE_ACCOUNT, namespace=OPERATOR_NAMESPACE, duration="2h")
        kubeconfig = self.kube.write_kubeconfig(
            token, self.workdir / "kubeconfig", user=SERVICE_ACCOUNT, server=server
        )
        env = dict(os.environ)
        env.update(
            KUBECONFIG=str(kubeconfig),
            POD_NAMESPACE=OPERATOR_NAMESPACE,
            POD_NAME=self.identity,
            RUST_LOG="info,authlet_operator=debug",
        )
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                [str(self.binary), f"--probe-address=127.0.0.1:{self.probe_port}"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        finally:
            log.close()
        wait_for(lambda: self.probe("/readyz") == 200, timeout=30, what="operator /readyz")

    def probe(self, path: str) -> int | None:
        self.check_running()
        try:
            return requests.get(f"http://127.0.0.1:{self.probe_port}{path}", timeout=2).status_code
        except requests.RequestException:
            return None

    def metrics(self) -> str:
        return requests.get(f"http://127.0.0.1:{self.probe_port}/metrics", timeout=2).text

    def metric(self, name: str, kind: str) -> float:
        """A counter of the operator's, by kind (0 before its first increment)."""
        prefix = f'authlet_operator_{name}_total{{kind="{kind}"}}'
        for line in self.metrics().splitlines():
            if line.startswith(prefix):
                return float(line.split()[-1])
        return 0.0

    def reconciles(self, kind: str) -> float:
        return self.metric("reconciles", kind)

    def check_running(self) -> None:
        if self.process and self.process.poll() is not None:
            raise AssertionError(f"operator {self.identity} exited with {self.process.returncode}\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def kill(self) -> None:
        """SIGKILL, as an OOM kill or a node failure ends it: nothing is cleaned up,
        the Lease stays held until it expires or this identity renews it."""
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait()

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, as the kubelet stops a pod; returns the exit code."""
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError(f"operator {self.identity} did not stop within {timeout}s\n{self.log_tail()}")
        return process.returncode


class SecretMount:
    """A Secret volume as the kubelet keeps it: `config.yaml -> ..data/config.yaml`,
    `..data -> ..<timestamp>`, and on every change a new timestamped directory and an
    atomic swap of `..data`. The kubelet syncs on its own period (about a minute by
    default); this one polls every `interval` seconds, so that the tests measure the
    operator and the sidecar rather than the kubelet's patience."""

    def __init__(self, kube: ApiServer, namespace: str, name: str, directory: Path, interval: float = 0.3):
        self.kube = kube
        self.namespace = namespace
        self.name = name
        self.directory = directory
        self.interval = interval
        self.version = None
        self.swaps = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def path(self) -> Path:
        return self.directory / "config.yaml"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        wait_for(self._sync, timeout=60, what=f"Secret {self.name} to mount")
        os.symlink("..data/config.yaml", self.path)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._sync()
            except Exception:  # noqa: BLE001 - a failed poll is retried on the next tick
                pass

    def _sync(self) -> bool:
        obj = secret(self.kube, self.namespace, self.name)
        if obj is None:
            return False
        if obj["metadata"]["resourceVersion"] == self.version:
            return True
        stamp = f"..{time.strftime('%Y_%m_%d_%H_%M_%S')}.{time.monotonic_ns()}"
        new_dir = self.directory / stamp
        new_dir.mkdir()
        for key, value in (obj.get("data") or {}).items():
            (new_dir / key).write_bytes(base64.b64decode(value))
        data_link = self.directory / "..data"
        old = os.readlink(data_link) if data_link.is_symlink() else None
        temporary = self.directory / "..data_tmp"
        os.symlink(stamp, temporary)
        os.replace(temporary, data_link)
        if old:
            shutil.rmtree(self.directory / old)
        self.version = obj["metadata"]["resourceVersion"]
        self.swaps += 1
        return True


class SidecarProcess:
    """`authlet-sidecar --config <mounted config.yaml>`."""

    def __init__(self, binary: Path, config_path: Path, listen: str, workdir: Path) -> None:
        self.binary = binary
        self.config_path = config_path
        self.base_url = f"http://{listen}"
        self.log_path = workdir / "sidecar.log"
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                # No shutdown delay: nothing routes traffic here, and each test stops a sidecar.
                [str(self.binary), "--config", str(self.config_path), "--shutdown-delay", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.workdir,
            )
        finally:
            log.close()

        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"sidecar exited with {self.process.returncode}\n{self.log_tail()}")
            try:
                return requests.get(f"{self.base_url}/readyz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        wait_for(ready, timeout=30, what="sidecar /readyz")

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
