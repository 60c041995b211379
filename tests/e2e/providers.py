"""The clusters the end-to-end suite runs on, behind one small interface.

- `local` (local_cluster.py): a one-node cluster built on this machine from the
  Kubernetes binaries of scripts/kube-tools and Debian's containerd, runc and CNI
  plugins. The default, and what the README's test command runs.
- `kind` (KindCluster below): a kind cluster, for machines with Docker and kind.

Both get the same locally built images (images.py) and the same kubelet sync period, so
that the suite's steps, and its measurement of how fast a Secret reaches a pod, mean the
same thing on either.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path

from cluster import KubectlError, kube_bin_dir

# How often the kubelet re-syncs each pod, and with it the pod's Secret volumes
# (default 1m). A mounted Secret changes on the first sync after the change, so this
# bounds the propagation time the suite measures. 2s costs nothing with a handful of pods.
KUBELET_SYNC_FREQUENCY = "2s"
# Watch (the default, stated here because the measurement depends on it): the kubelet's
# copy of each Secret follows a watch, so a sync always writes the current content.
KUBELET_SECRET_CHANGE_DETECTION = "Watch"


class Cluster(ABC):
    """A running cluster the suite drives with kubectl and helm as an admin."""

    provider = ""

    def __init__(self) -> None:
        self.bin_dir = Path()  # kubectl and helm
        self.kubeconfig = Path()

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @abstractmethod
    def start(self) -> None: ...

    @abstractmethod
    def stop(self) -> None:
        """Remove everything start() created; safe after a failed or partial start."""

    @abstractmethod
    def load_images(self, archives: list[Path]) -> None:
        """Make OCI image archives available to the node's runtime, so that pods
        whose images are present never pull."""

    @abstractmethod
    def kill_container(self, container_id: str) -> None:
        """SIGKILL a container's main process on its node, as a crash would;
        `container_id` as in a pod's status (`containerd://<id>`)."""

    def kubectl(
        self, *args: str, input: str | None = None, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.bin_dir / "kubectl"), f"--kubeconfig={self.kubeconfig}", *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise KubectlError(result.returncode, result.args, result.stdout, result.stderr)
        return result

    def get_json(self, *args: str) -> dict:
        return json.loads(self.kubectl("get", *args, "-o", "json").stdout)

    def helm(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.bin_dir / "helm"), f"--kubeconfig={self.kubeconfig}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise KubectlError(result.returncode, result.args, result.stdout, result.stderr)
        return result

    def diagnostics(self, namespaces: list[str]) -> str:
        """What to show when a step fails: pods, events, and the recent logs of every
        container in `namespaces`."""
        commands = [["get", "pods", "-A", "-o", "wide"], ["get", "events", "-A", "--sort-by=.lastTimestamp"]]
        for namespace in namespaces:
            pods = self.kubectl("get", "pods", "-n", namespace, "-o", "name", check=False, timeout=30).stdout.split()
            commands += [["logs", "-n", namespace, pod, "--all-containers", "--prefix", "--tail=40"] for pod in pods]
        parts = []
        for args in commands:
            result = self.kubectl(*args, check=False, timeout=30)
            parts.append(f"$ kubectl {' '.join(args)}\n{result.stdout}{result.stderr}")
        return "\n".join(parts)


class KindCluster(Cluster):
    """A kind cluster (Docker), created for the session and deleted afterwards
    (KEEP_CLUSTER=1 keeps it). kubectl and helm come from scripts/kube-tools, or from
    AUTHLET_KUBE_BIN (any directory holding both)."""

    provider = "kind"

    def __init__(self, name: str = "authlet-e2e") -> None:
        super().__init__()
        self.name = name
        self.node = f"{name}-control-plane"
        self.workdir: Path | None = None

    def start(self) -> None:
        for tool in ("kind", "docker"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"the kind provider needs `{tool}` on PATH")
        self.bin_dir = kube_bin_dir()
        self.workdir = Path(tempfile.mkdtemp(prefix="authlet-kind-"))
        self.kubeconfig = self.workdir / "kubeconfig"
        config = self.workdir / "kind.yaml"
        # kind passes this KubeletConfiguration patch to kubeadm, so its kubelet syncs
        # pods, and refreshes Secret volumes, as often as the local node's.
        config.write_text(json.dumps({
            "kind": "Cluster",
            "apiVersion": "kind.x-k8s.io/v1alpha4",
            "kubeadmConfigPatches": [json.dumps({
                "kind": "KubeletConfiguration",
                "syncFrequency": KUBELET_SYNC_FREQUENCY,
                "configMapAndSecretChangeDetectionStrategy": KUBELET_SECRET_CHANGE_DETECTION,
            })],
        }))
        subprocess.run(
            ["kind", "create", "cluster", "--name", self.name, "--config", str(config),
             "--kubeconfig", str(self.kubeconfig), "--wait", "180s"],
            check=True,
        )

    def stop(self) -> None:
        if os.environ.get("KEEP_CLUSTER"):
            print(f"KEEP_CLUSTER: leaving kind cluster {self.name} (kubeconfig {self.kubeconfig})")
            return
        subprocess.run(["kind", "delete", "cluster", "--name", self.name], check=False)
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def load_images(self, archives: list[Path]) -> None:
        for archive in archives:
            subprocess.run(["kind", "load", "image-archive", "--name", self.name, str(archive)], check=True)

    def kill_container(self, container_id: str) -> None:
        subprocess.run(
            ["docker", "exec", self.node, "ctr", "--namespace", "k8s.io", "tasks", "kill",
             "--signal", "SIGKILL", container_id.removeprefix("containerd://")],
            check=True,
        )
