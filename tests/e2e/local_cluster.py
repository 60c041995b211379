"""A one-node Kubernetes cluster on this machine that runs real pods.

The control plane is tests/kube/cluster.py's ApiServer (etcd, kube-apiserver,
kube-controller-manager) plus kube-scheduler; the node is a kubelet on Debian's
containerd (its CRI plugin), runc and CNI plugins. Kubernetes' binaries come from
scripts/kube-tools (v1.34.4, built from its Go modules).

What it does to the machine, all undone by stop() and checked afterwards:

- Network: a bridge, `authlet-pods`, holding 198.18.0.1/24 (the pods' subnet; the node's
  address) and 198.19.0.1/32 (the `kubernetes` Service's address, first of the Service
  range 198.19.0.0/24). Both ranges lie in 198.18.0.0/15, which is reserved for testing.
  Pods get an address from the CNI `bridge` plugin (host-local IPAM) and one route, to
  the Service range via the bridge: no default route, no masquerading, no IP
  forwarding, no iptables rules. The API server listens on 198.19.0.1:443 itself, so a
  pod's in-cluster configuration (KUBERNETES_SERVICE_HOST=198.19.0.1, port 443) reaches
  it without a kube-proxy: the packets are addressed to the host, and never routed.
- Processes: containerd, the kubelet, their shims and the pods' containers, all of
  them found again by this node's fixed paths and cgroup.
- Files: everything under /var/tmp/authlet-node (containerd's root and state, the
  kubelet's root, CNI configuration and IPAM state, logs), the cgroup `authlet-pods`
  in every hierarchy (the kubelet's cgroupRoot), and what containerd, the CNI library
  and the kubelet put in fixed host paths (the CNI result cache, shim sockets, log
  symlinks) for this node's pods.

The paths and names are fixed so that a run that was killed before it could clean up
is cleaned up by the next one (`start()` first removes leftovers), and a lock file
makes concurrent runs take turns. This host uses cgroup v1: the kubelet is told
`failCgroupV1: false`; runc and the kubelet use the cgroupfs driver. Root is required.

    with LocalCluster() as cluster:
        cluster.load_images([...])
        cluster.kubectl("get", "nodes")
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from cluster import (
    API_ONLY_CONTROLLERS,
    ApiServer,
    ServerProcess,
    StartupError,
    free_port,
    http_ok,
    kube_bin_dir,
)
from images import busybox_image, write_archive
from providers import KUBELET_SECRET_CHANGE_DETECTION, KUBELET_SYNC_FREQUENCY, Cluster

ROOT = Path(os.environ.get("AUTHLET_NODE_DIR", "/var/tmp/authlet-node"))
LOCK_FILE = ROOT.parent / f"{ROOT.name}.lock"
NODE_NAME = "authlet-node"
BRIDGE = "authlet-pods"
POD_SUBNET = "198.18.0.0/24"
NODE_IP = "198.18.0.1"
SERVICE_RANGE = "198.19.0.0/24"
API_SERVICE_IP = "198.19.0.1"  # the `kubernetes` Service: first address of the range
API_PORT = 443  # that Service's port, which pods dial
CNI_NETWORK = "authlet-pods"
CGROUP_ROOT = "authlet-pods"
KUBELET_PORT = 10250
PAUSE_IMAGE = "authlet-pause:busybox"
CNI_PLUGIN_DIR = Path("/usr/lib/cni")  # Debian's containernetworking-plugins
NODE_PROGRAMS = ("containerd", "containerd-shim-runc-v2", "kubelet")

# Host paths that containerd, the CNI library and the kubelet write to whatever their
# configuration says. This node's entries in them are removed, then the directories
# themselves if that left them empty (nothing else on a test machine uses them).
CNI_RESULT_CACHE = Path("/var/lib/cni/results")
SHIM_SOCKET_DIR = Path("/run/containerd/s")
CONTAINER_LOG_LINKS = Path("/var/log/containers")
EMPTY_DIRS_TO_REMOVE = (
    CNI_RESULT_CACHE,
    CNI_RESULT_CACHE.parent,
    SHIM_SOCKET_DIR,
    SHIM_SOCKET_DIR.parent,
    CONTAINER_LOG_LINKS,
    Path("/run/mount"),  # util-linux's mount, run by the kubelet, keeps its state there
)

# The controllers a node needs on top of the API-only set: Deployments become
# ReplicaSets become Pods; node-lifecycle lifts the not-ready taint that admission puts
# on a new Node; root-ca-certificate-publisher fills kube-root-ca.crt, which every
# pod's ServiceAccount token volume includes.
NODE_CONTROLLERS = (
    *API_ONLY_CONTROLLERS,
    "deployment-controller",
    "replicaset-controller",
    "node-lifecycle-controller",
    "root-ca-certificate-publisher-controller",
)

_MNT_DETACH = 2


class LocalCluster(Cluster):
    provider = "local"

    def __init__(self, startup_timeout: float = 180.0) -> None:
        super().__init__()
        self.startup_timeout = startup_timeout
        self.api: ApiServer | None = None
        self._processes: list[ServerProcess] = []
        self._lock: int | None = None
        self._host_before: HostState | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> None:
        if os.geteuid() != 0:
            raise StartupError("the local cluster needs root (bridge, mounts, cgroups, containerd)")
        for path in ("/usr/bin/containerd", "/usr/sbin/runc", CNI_PLUGIN_DIR / "bridge"):
            if not Path(path).exists():
                raise StartupError(f"{path} is missing: apt-get install containerd runc containernetworking-plugins")
        self.bin_dir = kube_bin_dir()
        self._take_lock()
        remove_node_leftovers()
        self._host_before = HostState.capture()
        deadline = time.monotonic() + self.startup_timeout
        for directory in ("logs", "pki", "cni/conf", "cni/ipam", "kubelet", "pod-logs", "kubelet-plugins"):
            (ROOT / directory).mkdir(parents=True, exist_ok=True)
        create_bridge()
        create_cgroup_root()
        self._start_control_plane()
        self._start_scheduler(deadline)
        self._start_containerd(deadline)
        self._start_kubelet(deadline)

    def stop(self) -> None:
        errors = []
        # The kubelet first, so that it does not restart what the sweep below kills;
        # then containerd; the shims and containers go in remove_node_leftovers().
        while self._processes:
            process = self._processes.pop()
            try:
                process.stop()
            except Exception as error:  # noqa: BLE001 - keep removing the rest
                errors.append(f"stopping {process.name}: {error}")
        if self.api is not None:
            self.api.stop()
            self.api = None
        if os.environ.get("AUTHLET_KUBE_KEEP") and (ROOT / "logs").is_dir():
            kept = Path(tempfile.mkdtemp(prefix="authlet-node-logs-"))
            shutil.copytree(ROOT / "logs", kept, dirs_exist_ok=True)
            print(f"AUTHLET_KUBE_KEEP: the node's logs are in {kept}")
        if self._lock is not None:
            try:
                remove_node_leftovers()
            except Exception as error:  # noqa: BLE001 - reported below, with the rest
                errors.append(f"removing the node: {error}")
            if self._host_before is not None:
                changes = self._host_before.differences(HostState.capture())
                if changes:
                    errors.append("the machine differs from before the cluster started:\n" + "\n".join(changes))
            os.close(self._lock)
            self._lock = None
        if errors:
            raise RuntimeError("\n".join(errors))

    def _take_lock(self) -> None:
        fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another run holding {LOCK_FILE}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock = fd

    # -- components ----------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> ServerProcess:
        process = ServerProcess(name, argv, ROOT / "logs" / f"{name}.log", env=env)
        self._processes.append(process)
        return process

    def _start_control_plane(self) -> None:
        pki = ROOT / "pki"
        # The kubelet accepts the API server (exec, logs) by a client certificate from
        # this CA; the API server does not verify the kubelet's self-signed one.
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                 "-subj", "/CN=authlet-node-ca", "-keyout", pki / "ca.key", "-out", pki / "ca.crt")
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj",
                 "/O=system:masters/CN=kube-apiserver-kubelet-client",
                 "-keyout", pki / "apiserver-kubelet-client.key", "-out", pki / "apiserver-kubelet-client.csr")
        _openssl("x509", "-req", "-days", "2", "-in", pki / "apiserver-kubelet-client.csr",
                 "-CA", pki / "ca.crt", "-CAkey", pki / "ca.key", "-CAcreateserial",
                 "-out", pki / "apiserver-kubelet-client.crt")
        self.api = ApiServer(
            self.bin_dir,
            controller_manager=True,
            startup_timeout=self.startup_timeout,
            address=API_SERVICE_IP,
            port=API_PORT,
            service_cluster_ip_range=SERVICE_RANGE,
            service_account_admission=True,
            controllers=NODE_CONTROLLERS,
            # The node authorizer and NodeRestriction apply to this identity: the
            # kubelet reads only what its own pods need.
            users={f"system:node:{NODE_NAME}": ("system:nodes",)},
            extra_apiserver_args=[
                f"--kubelet-client-certificate={pki / 'apiserver-kubelet-client.crt'}",
                f"--kubelet-client-key={pki / 'apiserver-kubelet-client.key'}",
                # The node's name resolves nowhere; its InternalIP is NODE_IP.
                "--kubelet-preferred-address-types=InternalIP",
            ],
        )
        self.api.start()
        self.kubeconfig = self.api.kubeconfig

    def _start_scheduler(self, deadline: float) -> None:
        assert self.api is not None
        port = free_port()
        kubeconfig = str(self.api.kubeconfig)
        process = self._spawn("kube-scheduler", [
            str(self.bin_dir / "kube-scheduler"),
            f"--kubeconfig={kubeconfig}",
            f"--authentication-kubeconfig={kubeconfig}",
            f"--authorization-kubeconfig={kubeconfig}",
            "--bind-address=127.0.0.1",
            f"--secure-port={port}",
            "--leader-elect=false",
        ])
        process.wait_until(lambda: http_ok(f"https://127.0.0.1:{port}/healthz", insecure=True),
                           deadline, self.startup_timeout)

    def _start_containerd(self, deadline: float) -> None:
        config = ROOT / "containerd.toml"
        config.write_text(_containerd_config())
        (ROOT / "cni/conf/10-authlet-pods.conflist").write_text(json.dumps(_cni_config(), indent=2))
        process = self._spawn("containerd", ["/usr/bin/containerd", "--config", str(config)])
        process.wait_until(lambda: _ctr("version", check=False).returncode == 0, deadline, self.startup_timeout)
        # Every pod's sandbox: a process that holds the pod's namespaces and waits.
        pause = busybox_image(PAUSE_IMAGE, ["/bin/sleep", "inf"])
        _ctr("images", "import", str(write_archive(pause, ROOT / "pause.tar")))

    def _start_kubelet(self, deadline: float) -> None:
        assert self.api is not None
        user = f"system:node:{NODE_NAME}"
        kubeconfig = self.api.write_kubeconfig(self.api.tokens[user], ROOT / "kubelet.kubeconfig", user=user)
        config = ROOT / "kubelet.json"
        config.write_text(json.dumps(_kubelet_config(), indent=2))
        process = self._spawn("kubelet", [
            str(self.bin_dir / "kubelet"),
            f"--config={config}",
            f"--kubeconfig={kubeconfig}",
            f"--root-dir={ROOT / 'kubelet'}",
            f"--volume-plugin-dir={ROOT / 'kubelet-plugins'}",
            f"--hostname-override={NODE_NAME}",
            f"--node-ip={NODE_IP}",
        ], env=_env_without_iptables())
        process.wait_until(self._node_ready, deadline, self.startup_timeout)

    def _node_ready(self) -> bool:
        assert self.api is not None
        status, node = self.api.request("GET", f"/api/v1/nodes/{NODE_NAME}")
        if status != 200:
            return False
        conditions = {c["type"]: c["status"] for c in node.get("status", {}).get("conditions", [])}
        return conditions.get("Ready") == "True"

    # -- what the suite asks of a cluster -----------------------------------

    def load_images(self, archives: list[Path]) -> None:
        for archive in archives:
            _ctr("images", "import", str(archive))

    def kill_container(self, container_id: str) -> None:
        _ctr("tasks", "kill", "--signal", "SIGKILL", container_id.removeprefix("containerd://"))


# -- configuration ---------------------------------------------------------------


def _containerd_config() -> str:
    state = ROOT / "containerd/state"
    return f"""\
version = 2
root = "{ROOT / 'containerd/root'}"
state = "{state}"

[grpc]
  address = "{ROOT / 'containerd.sock'}"

# Its default is /opt/containerd.
[plugins."io.containerd.internal.v1.opt"]
  path = "{ROOT / 'containerd/opt'}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/library/{PAUSE_IMAGE}"
  # Pods' network namespaces under our state directory, not /var/run/netns.
  netns_mounts_under_state_dir = true
  # Containers may not lower their OOM score below containerd's own: without
  # CAP_SYS_RESOURCE (this machine's root lacks it) runc cannot set the pause
  # container's -998, and every sandbox would fail to start.
  restrict_oom_score_adj = true
  # Loading containerd's AppArmor profile would change the host's kernel state.
  disable_apparmor = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "{CNI_PLUGIN_DIR}"
    conf_dir = "{ROOT / 'cni/conf'}"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # The kubelet's driver too (cgroupfs: no systemd here).
        SystemdCgroup = false
        Root = "{state / 'runc'}"
"""


def _cni_config() -> dict:
    return {
        "cniVersion": "1.0.0",
        "name": CNI_NETWORK,
        "plugins": [{
            "type": "bridge",
            "bridge": BRIDGE,
            # The bridge and its addresses are ours (create_bridge): as gateway the
            # plugin would also turn on IP forwarding for the whole host.
            "isGateway": False,
            "ipMasq": False,
            "ipam": {
                "type": "host-local",
                "dataDir": str(ROOT / "cni/ipam"),
                "ranges": [[{"subnet": POD_SUBNET, "gateway": NODE_IP}]],
                # The pods' only route besides their subnet: the Service range, where
                # the API server is, via the node. Anything else is unreachable.
                "routes": [{"dst": SERVICE_RANGE}],
            },
        }],
    }


def _kubelet_config() -> dict:
    return {
        "apiVersion": "kubelet.config.k8s.io/v1beta1",
        "kind": "KubeletConfiguration",
        # Kubernetes 1.34's kubelet still runs on cgroup v1 when told so.
        "failCgroupV1": False,
        "cgroupDriver": "cgroupfs",
        "cgroupRoot": f"/{CGROUP_ROOT}",
        "containerRuntimeEndpoint": f"unix://{ROOT / 'containerd.sock'}",
        "address": NODE_IP,
        "port": KUBELET_PORT,
        "readOnlyPort": 0,
        "healthzPort": 0,
        "authentication": {
            "anonymous": {"enabled": False},
            "webhook": {"enabled": True},
            "x509": {"clientCAFile": str(ROOT / "pki/ca.crt")},
        },
        "authorization": {"mode": "Webhook"},
        "podLogsDir": str(ROOT / "pod-logs"),
        "syncFrequency": KUBELET_SYNC_FREQUENCY,
        "configMapAndSecretChangeDetectionStrategy": KUBELET_SECRET_CHANGE_DETECTION,
        # No cluster DNS: pods use no names. An empty resolvConf keeps the host's
        # resolvers out of the pods as well.
        "resolvConf": "",
        # Imported images cannot be pulled again: never collect them, and never
        # evict pods because a shared CI disk happens to be fuller than usual.
        "imageGCHighThresholdPercent": 100,
        "evictionHard": {"memory.available": "0%", "nodefs.available": "0%", "imagefs.available": "0%"},
        "failSwapOn": False,
    }


def _env_without_iptables() -> dict[str, str]:
    """The kubelet's environment with no iptables on PATH. Finding iptables, it would
    add chains and a rule (KUBE-FIREWALL, dropping non-local traffic to 127.0.0.0/8)
    to the host's firewall; without it, it notes that and carries on. Nothing here
    needs them: there is no kube-proxy and no Service traffic to rewrite."""
    env = dict(os.environ)
    kept = [d for d in env.get("PATH", "").split(os.pathsep)
            if d and not any(Path(d, tool).exists() for tool in ("iptables", "ip6tables"))]
    env["PATH"] = os.pathsep.join(kept)
    return env


def _ctr(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["ctr", "--address", str(ROOT / "containerd.sock"), "--namespace", "k8s.io", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"ctr {' '.join(args)}: {result.stderr.strip()}")
    return result


def _openssl(*args: object) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


# -- the machine's side ----------------------------------------------------------


def create_bridge() -> None:
    _ip("link", "add", BRIDGE, "type", "bridge")
    _ip("addr", "add", f"{NODE_IP}/{POD_SUBNET.split('/')[1]}", "dev", BRIDGE)
    _ip("addr", "add", f"{API_SERVICE_IP}/32", "dev", BRIDGE)
    _ip("link", "set", BRIDGE, "up")


def create_cgroup_root() -> None:
    """The kubelet's cgroupRoot must exist in every hierarchy before it starts."""
    for hierarchy in cgroup_hierarchies():
        path = hierarchy / CGROUP_ROOT
        path.mkdir(exist_ok=True)
        # A cgroup v1 cpuset starts with no CPUs and no memory nodes: inherit them.
        for name in ("cpuset.cpus", "cpuset.mems"):
            if (path / name).exists() and not (path / name).read_text().strip():
                (path / name).write_text((hierarchy / name).read_text())


def remove_node_leftovers() -> None:
    """Remove everything a node under ROOT may have left: processes, mounts (and with
    them the pods' network namespaces), the bridge, cgroups, files. Used before a
    start (a killed run leaves these) and after a stop; a no-op on a clean machine."""
    _kill_node_processes()
    _unmount_under(ROOT)
    if Path(f"/sys/class/net/{BRIDGE}").exists():
        _ip("link", "del", BRIDGE)
    _remove_cgroups()
    _remove_host_entries()
    shutil.rmtree(ROOT, ignore_errors=True)


def _kill_node_processes() -> None:
    # The containers (pause included) are every process in the node's cgroups; the
    # node's own programs name ROOT on their command line (the shims are started with
    # `-address ROOT/containerd.sock`). A shim given SIGTERM removes its socket.
    _signal_until_gone(_cgroup_pids, signal.SIGKILL)
    _signal_until_gone(_node_program_pids, signal.SIGTERM)
    _signal_until_gone(_node_program_pids, signal.SIGKILL)
    # Anything a still-running kubelet restarted meanwhile.
    _signal_until_gone(_cgroup_pids, signal.SIGKILL)


def _signal_until_gone(find_pids, sig: signal.Signals, timeout: float = 10) -> None:
    pids = find_pids()
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.1)


def _node_program_pids() -> set[int]:
    """containerd, its shims and the kubelet, when their arguments name ROOT."""
    needle = str(ROOT)
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:  # exited meanwhile
            continue
        if Path(argv[0]).name in NODE_PROGRAMS and any(needle in arg for arg in argv[1:]):
            pids.add(int(entry.name))
    return pids


def _cgroup_pids() -> set[int]:
    pids = set()
    for hierarchy in cgroup_hierarchies():
        for procs in (hierarchy / CGROUP_ROOT).rglob("cgroup.procs"):
            try:
                pids.update(int(line) for line in procs.read_text().split())
            except OSError:
                continue
    return pids


def _remove_cgroups() -> None:
    for hierarchy in cgroup_hierarchies():
        top = hierarchy / CGROUP_ROOT
        if not top.is_dir():
            continue
        # Deepest first; a cgroup whose last process just exited may be busy for a
        # moment.
        for directory in sorted((p for p in top.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)) + [top]:
            for _ in range(50):
                try:
                    directory.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError(f"cannot remove cgroup {directory}")


def cgroup_hierarchies() -> list[Path]:
    """Mount points of every cgroup hierarchy (v1 controllers, v2 unified)."""
    return [Path(m.mount_point) for m in _mounts() if m.fs_type in ("cgroup", "cgroup2")]


def _unmount_under(root: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    prefix = str(root)
    for _ in range(5):
        points = [m.mount_point for m in _mounts() if m.mount_point == prefix or m.mount_point.startswith(prefix + "/")]
        if not points:
            return
        for point in sorted(points, key=len, reverse=True):
            if libc.umount2(point.encode(), 0) != 0:
                libc.umount2(point.encode(), _MNT_DETACH)
    raise RuntimeError(f"mounts under {root} remain after unmounting")


@dataclass
class _Mount:
    mount_point: str
    fs_type: str


def _mounts() -> list[_Mount]:
    mounts = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split(" ")
        separator = fields.index("-")
        # Paths are octal-escaped (\040 for a space).
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4])
        mounts.append(_Mount(point, fields[separator + 1]))
    return mounts


def _remove_host_entries() -> None:
    """This node's entries in the host paths that containerd, libcni and the kubelet
    use regardless of configuration."""
    sandboxes = ROOT / "containerd/state/io.containerd.grpc.v1.cri/sandboxes"
    sandbox_ids = [p.name for p in sandboxes.iterdir()] if sandboxes.is_dir() else []
    for sandbox in sandbox_ids:
        for name in (f"{CNI_NETWORK}-{sandbox}-eth0", f"cni-loopback-{sandbox}-lo"):
            (CNI_RESULT_CACHE / name).unlink(missing_ok=True)
    if CONTAINER_LOG_LINKS.is_dir():
        for link in CONTAINER_LOG_LINKS.iterdir():
            if link.is_symlink() and os.readlink(link).startswith(str(ROOT) + "/"):
                link.unlink()
    for directory in EMPTY_DIRS_TO_REMOVE:
        try:
            directory.rmdir()
        except OSError:  # absent, or someone else's files in it
            pass


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, text=True)


@dataclass
class HostState:
    """What the cluster must leave as it found it, in comparable form."""

    links: list[str]
    addresses: list[str]
    routes: list[str]
    ip_forward: str
    firewall: list[str]
    mounts: list[str]
    cgroups: list[str]
    processes: list[str]
    paths: list[str]

    @classmethod
    def capture(cls) -> HostState:
        def lines(*argv: str) -> list[str]:
            result = subprocess.run(argv, capture_output=True, text=True)
            return sorted(result.stdout.splitlines()) if result.returncode == 0 else []

        firewall = []
        for tool in ("iptables-save", "ip6tables-save"):
            if shutil.which(tool):
                # Without comments (timestamps) and packet counters.
                firewall += [re.sub(r"\[\d+:\d+\]", "", line) for line in lines(tool) if not line.startswith("#")]
        return cls(
            # Without interface indexes, and without address lifetimes, which count down.
            links=[re.sub(r"^\d+: ", "", line.split("\\")[0]) for line in lines("ip", "-o", "link", "show")],
            addresses=[re.sub(r"^\d+: |valid_lft.*", "", line) for line in lines("ip", "-o", "addr", "show")],
            routes=lines("ip", "route", "show", "table", "all") + lines("ip", "-6", "route", "show", "table", "all"),
            ip_forward=Path("/proc/sys/net/ipv4/ip_forward").read_text().strip(),
            firewall=sorted(firewall),
            mounts=sorted(m.mount_point for m in _mounts() if m.mount_point.startswith(str(ROOT))),
            cgroups=sorted(str(h / CGROUP_ROOT) for h in cgroup_hierarchies() if (h / CGROUP_ROOT).exists()),
            processes=sorted(str(pid) for pid in _node_program_pids()),
            paths=sorted(str(p) for p in (ROOT, *EMPTY_DIRS_TO_REMOVE) if p.exists()),
        )

    def differences(self, after: HostState) -> list[str]:
        changes = []
        for name, before in vars(self).items():
            now = getattr(after, name)
            if before != now:
                if isinstance(before, list):
                    gone = [x for x in before if x not in now]
                    new = [x for x in now if x not in before]
                    changes.append(f"{name}: added {new}, removed {gone}")
                else:
                    changes.append(f"{name}: {before!r} -> {now!r}")
        return changes
