"""A real, throwaway Kubernetes control plane for tests: etcd + kube-apiserver
(+ optionally kube-controller-manager), on 127.0.0.1 by default, in a temp dir.

Standard library only (Python 3.11+), so any suite can import it. The binaries
come from `scripts/kube-tools` (built from Kubernetes' own Go modules; see
tests/kube/tools); set AUTHLET_KUBE_BIN to that script's output to skip the
call, otherwise it is run here (cheap once cached, long the first time).

    from cluster import REPO_ROOT, ApiServer

    @pytest.fixture(scope="session")
    def kube():
        with ApiServer(controller_manager=True) as api:
            yield api

    def test_x(kube):
        kube.kubectl("apply", "--server-side", "-f", str(REPO_ROOT / "crds"))
        kube.ensure_service_account("operator", namespace="authlet")
        token = kube.create_token("operator", namespace="authlet")
        kubeconfig = kube.write_kubeconfig(token)      # for the code under test
        status, body = kube.request("GET", "/api/v1/namespaces/authlet/secrets", token=token)

What this cluster is, and is not:
- API only: no kubelet, no scheduler, no nodes. Pods can be created but never
  run. The ServiceAccount admission plugin is disabled so that creating a Pod
  does not require its ServiceAccount to exist (nothing would create it).
- Authentication: a static admin bearer token (user "admin", group
  system:masters) and ServiceAccount tokens; authorization is Node,RBAC, so
  RBAC is enforced for everyone but the admin.
- TokenRequest works (`create_token`, `kubectl create token`): the signing key
  and issuer are configured.
- Without the controller manager (the default), nothing runs controllers:
  namespaces get no "default" ServiceAccount (use `ensure_service_account`),
  ServiceAccount token Secrets are never filled, deleted namespaces stay
  Terminating, and ownerReferences are never acted on.
- `ApiServer(controller_manager=True)` also starts kube-controller-manager with
  only the garbage collector, namespace and serviceaccount(-token) controllers:
  deleting an owner then deletes its dependents (via ownerReferences), deleted
  namespaces are emptied and removed, and every namespace gets "default".
  The garbage collector learns about a CRD's kind on its periodic discovery
  resync (every 30 s), so allow up to about a minute for cascading deletion of
  objects owned by a freshly installed custom resource, or install the CRDs
  first and then call `start_controller_manager()` (seconds instead).
- Service IPs come from 10.0.0.0/24 on paper only: nothing routes or proxies
  them, and no traffic is sent there.
- `ApiServer(audit=True)` keeps an audit log of every request that is not a
  read (get, list, watch), one JSON event per line in `audit_log`
  (`audit_events()` parses it): proof of who wrote what, for tests that
  must show that something made no writes at all.
- The knobs a cluster that runs pods needs (tests/e2e/local_cluster.py) are
  keyword arguments: the address and port to serve on, the Service range, the
  ServiceAccount admission plugin, more controllers, and extra static-token
  users (a kubelet's node identity, for instance).

Every process is started in its own process group and stopped with it on
exit, also when a test failed or startup failed; the temp dir goes too
(AUTHLET_KUBE_KEEP=1 keeps it, logs included, for debugging). If the Python
process itself is killed, the kernel kills the children (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
KUBE_TOOLS = REPO_ROOT / "scripts" / "kube-tools"

ADMIN_USER = "admin"

# The controllers that make sense without nodes; the rest (deployments, jobs,
# ...) would just spin.
API_ONLY_CONTROLLERS = (
    "garbage-collector-controller",
    "namespace-controller",
    "serviceaccount-controller",
    "serviceaccount-token-controller",
)


def kube_bin_dir() -> Path:
    """The directory with etcd, kube-apiserver, kubectl, ...: AUTHLET_KUBE_BIN,
    or whatever scripts/kube-tools builds (or finds cached)."""
    env = os.environ.get("AUTHLET_KUBE_BIN")
    if env:
        return Path(env)
    # stderr is passed through: a cold build runs for many minutes, and its
    # progress is the only sign that it is not stuck.
    out = subprocess.run(
        [str(KUBE_TOOLS)], check=True, stdout=subprocess.PIPE, text=True
    ).stdout.strip()
    return Path(out.splitlines()[-1])


def free_port() -> int:
    # The port is released before the server binds it; another process could
    # grab it in between, which on a test machine is rare enough to accept.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: if the test process dies without
    # cleaning up (SIGKILL, CI timeout), the kernel sends the child SIGKILL
    # instead of leaving etcd and the apiserver running forever.
    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # not Linux: the context manager still cleans up
        pass


class StartupError(RuntimeError):
    pass


class KubectlError(subprocess.CalledProcessError):
    """A failed kubectl run; unlike its base class it shows kubectl's stderr,
    which is where the reason (Forbidden, NotFound, ...) is."""

    def __str__(self) -> str:
        return f"{super().__str__()}\n{(self.stderr or '').strip()}"


class ServerProcess:
    """One server process, its log file and its process group."""

    def __init__(self, name: str, argv: list[str], log_path: Path, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.popen = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own group: stop() takes any children too
            preexec_fn=_die_with_parent,
        )

    def check_running(self) -> None:
        code = self.popen.poll()
        if code is not None:
            raise StartupError(f"{self.name} exited with {code}\n{self.log_tail()}")

    def wait_until(self, ready, deadline: float, timeout: float) -> None:
        """Poll `ready()` until it is true; raise StartupError with the log's
        tail if the process exits first or `deadline` (monotonic) passes."""
        while True:
            self.check_running()
            if ready():
                return
            if time.monotonic() > deadline:
                raise StartupError(f"{self.name} not ready after {timeout:.0f}s\n{self.log_tail()}")
            time.sleep(0.25)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        # The work dir (and this log) is removed on stop unless AUTHLET_KUBE_KEEP
        # is set, so the tail goes into the error message itself.
        return f"--- last lines of {self.name}'s log ---\n" + "\n".join(text[-lines:])

    def stop(self, grace: float = 10.0) -> None:
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
            except ProcessLookupError:
                pass
        self._log.close()


class ApiServer:
    """etcd + kube-apiserver (+ kube-controller-manager) on loopback.

    Use as a context manager, or call start() and stop() (stop() is safe to
    call more than once and after a failed start()).

    Attributes once started:
      url          https://<address>:<port>
      kubeconfig   Path of an admin kubeconfig (the admin token, system:masters)
      admin_token  that token
      ca_file      Path of the CA that signed the serving certificate
      bin_dir      where etcd, kubectl, helm, ... are
      workdir      the temp dir holding everything (logs in workdir/logs)
    """

    def __init__(
        self,
        bin_dir: Path | str | None = None,
        *,
        controller_manager: bool = False,
        startup_timeout: float = 180.0,
        extra_apiserver_args: list[str] | None = None,
        address: str = "127.0.0.1",
        port: int | None = None,
        service_cluster_ip_range: str = "10.0.0.0/24",
        service_account_admission: bool = False,
        controllers: tuple[str, ...] = API_ONLY_CONTROLLERS,
        users: dict[str, tuple[str, ...]] | None = None,
        audit: bool = False,
    ) -> None:
        """`address`/`port`: where the apiserver serves (a free port on
        127.0.0.1 by default). `service_account_admission`: mount a token into
        every pod, which requires each pod's ServiceAccount to exist (the
        controller manager creates "default"). `controllers`: what
        kube-controller-manager runs. `users`: extra static-token users by name,
        with their groups; their tokens are in `tokens[name]`. `audit`: log every
        write (see `audit_events`)."""
        # Resolved in start(), so constructing one never triggers a build.
        self.bin_dir = Path(bin_dir) if bin_dir else None
        self.controller_manager = controller_manager
        self.startup_timeout = startup_timeout
        self.extra_apiserver_args = list(extra_apiserver_args or [])
        self.address = address
        self.port = port
        self.service_cluster_ip_range = service_cluster_ip_range
        self.service_account_admission = service_account_admission
        self.controllers = controllers
        self.admin_token = secrets.token_hex(24)
        self.tokens = {name: secrets.token_hex(24) for name in users or {}}
        self._user_groups = dict(users or {})
        self.audit = audit
        self.audit_log: Path | None = None
        self.workdir: Path | None = None
        self.url = ""
        self.kubeconfig = Path()
        self.ca_file = Path()
        self._processes: list[ServerProcess] = []

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> ApiServer:
        if self.bin_dir is None:
            self.bin_dir = kube_bin_dir()
        for tool in ("etcd", "kube-apiserver", "kubectl"):
            if not (self.bin_dir / tool).is_file():
                raise FileNotFoundError(f"{tool} not found in {self.bin_dir}")
        self.workdir = Path(tempfile.mkdtemp(prefix="authlet-kube-"))
        (self.workdir / "logs").mkdir()
        try:
            deadline = time.monotonic() + self.startup_timeout
            etcd_url = self._start_etcd(deadline)
            self._start_apiserver(etcd_url, deadline)
            if self.controller_manager:
                self._start_controller_manager(deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        # Reverse order: clients first, so nothing logs storms of connection
        # errors against a server that is already gone.
        while self._processes:
            self._processes.pop().stop()
        if self.workdir is not None:
            if os.environ.get("AUTHLET_KUBE_KEEP"):
                print(f"AUTHLET_KUBE_KEEP: leaving {self.workdir}")
            else:
                shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def _spawn(self, name: str, argv: list[str]) -> ServerProcess:
        assert self.workdir is not None
        proc = ServerProcess(name, argv, self.workdir / "logs" / f"{name}.log")
        self._processes.append(proc)
        return proc

    def _start_etcd(self, deadline: float) -> str:
        assert self.workdir is not None
        client = f"http://127.0.0.1:{free_port()}"
        peer = f"http://127.0.0.1:{free_port()}"
        proc = self._spawn(
            "etcd",
            [
                str(self.bin_dir / "etcd"),
                "--name=test",
                f"--data-dir={self.workdir / 'etcd'}",
                f"--listen-client-urls={client}",
                f"--advertise-client-urls={client}",
                # The peer port is unused with one member, but etcd binds it
                # anyway, and its default (2380) would clash across clusters.
                f"--listen-peer-urls={peer}",
                f"--initial-advertise-peer-urls={peer}",
                f"--initial-cluster=test={peer}",
                # A throwaway store: durability buys nothing, fsync costs a lot
                # on shared CI disks.
                "--unsafe-no-fsync",
                "--log-level=warn",
            ],
        )
        self._wait(proc, deadline, lambda: http_ok(f"{client}/health"))
        return client

    def _start_apiserver(self, etcd_url: str, deadline: float) -> None:
        assert self.workdir is not None
        work = self.workdir
        port = self.port or free_port()
        self.url = f"https://{self.address}:{port}"
        cert_dir = work / "certs"
        # token,user,uid,"groups": system:masters bypasses authorization.
        tokens = work / "tokens.csv"
        lines = [f'{self.admin_token},{ADMIN_USER},{ADMIN_USER},"system:masters"']
        for user, groups in self._user_groups.items():
            lines.append(f'{self.tokens[user]},{user},{user},"{",".join(groups)}"')
        tokens.write_text("\n".join(lines) + "\n")
        tokens.chmod(0o600)
        if self.service_account_admission:
            admission = []
        else:
            # Without a controller manager nothing creates the ServiceAccounts
            # that this plugin requires pods to name.
            admission = ["--disable-admission-plugins=ServiceAccount"]
        sa_key = work / "service-account.key"
        _generate_rsa_key(sa_key)
        audit = []
        if self.audit:
            policy = work / "audit-policy.json"
            policy.write_text(json.dumps(AUDIT_POLICY))
            self.audit_log = work / "logs" / "audit.log"
            audit = [f"--audit-policy-file={policy}", f"--audit-log-path={self.audit_log}"]
        proc = self._spawn(
            "kube-apiserver",
            [
                str(self.bin_dir / "kube-apiserver"),
                f"--etcd-servers={etcd_url}",
                f"--bind-address={self.address}",
                # Also the address in the self-signed certificate's SANs.
                f"--advertise-address={self.address}",
                f"--secure-port={port}",
                # Self-signed serving cert + its CA are generated here.
                f"--cert-dir={cert_dir}",
                "--authorization-mode=Node,RBAC",
                f"--token-auth-file={tokens}",
                # TokenRequest (kubectl create token) needs an issuer and a key
                # to sign with; the private key file also serves as the
                # verification key.
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                f"--service-account-key-file={sa_key}",
                f"--service-account-signing-key-file={sa_key}",
                f"--service-cluster-ip-range={self.service_cluster_ip_range}",
                # The "kubernetes" Service's endpoints would be 127.0.0.1,
                # which Endpoints validation rejects: skip the reconciler
                # instead of logging that failure forever. (Nothing proxies
                # Services here anyway.)
                "--endpoint-reconciler-type=none",
                *admission,
                "--profiling=false",
                *audit,
                *self.extra_apiserver_args,
            ],
        )
        self.ca_file = cert_dir / "apiserver.crt"
        self.kubeconfig = self.write_kubeconfig(
            self.admin_token, work / "admin.kubeconfig", user=ADMIN_USER
        )
        # /readyz covers etcd, the RBAC bootstrap roles and the other post-start
        # hooks; the "default" namespace is created asynchronously after that.
        self._wait(
            proc,
            deadline,
            lambda: self._get_ok("/readyz") and self._get_ok("/api/v1/namespaces/default"),
        )

    def start_controller_manager(self, timeout: float = 120.0) -> None:
        """Start kube-controller-manager on a running ApiServer (what
        controller_manager=True does at start). Starting it after installing
        the CRDs lets the garbage collector see their kinds right away,
        instead of after its 30 s discovery resync."""
        if any(p.name == "kube-controller-manager" for p in self._processes):
            return
        self._start_controller_manager(time.monotonic() + timeout)

    def _start_controller_manager(self, deadline: float) -> None:
        assert self.workdir is not None
        port = free_port()
        kubeconfig = str(self.kubeconfig)
        proc = self._spawn(
            "kube-controller-manager",
            [
                str(self.bin_dir / "kube-controller-manager"),
                f"--kubeconfig={kubeconfig}",
                # Its own /healthz is authenticated by delegating to the
                # apiserver; without these it warns and serves nothing useful.
                f"--authentication-kubeconfig={kubeconfig}",
                f"--authorization-kubeconfig={kubeconfig}",
                "--bind-address=127.0.0.1",
                f"--secure-port={port}",
                f"--cert-dir={self.workdir / 'kcm-certs'}",
                "--controllers=" + ",".join(self.controllers),
                f"--service-account-private-key-file={self.workdir / 'service-account.key'}",
                f"--root-ca-file={self.ca_file}",
                # One instance: no lease to wait for.
                "--leader-elect=false",
            ],
        )
        url = f"https://127.0.0.1:{port}/healthz"
        self._wait(proc, deadline, lambda: http_ok(url, insecure=True))

    def _wait(self, proc: ServerProcess, deadline: float, ready) -> None:
        proc.wait_until(ready, deadline, self.startup_timeout)

    # -- clients -----------------------------------------------------------

    def write_kubeconfig(
        self,
        token: str,
        path: Path | str | None = None,
        *,
        user: str = "user",
        server: str | None = None,
    ) -> Path:
        """Write a kubeconfig that talks to this server with `token`, by way of
        `server` if given (a proxy in front of this server's address).

        Written as JSON, which every kubeconfig reader (kubectl, client-go,
        kube-rs, the Python client) accepts as YAML, to stay stdlib-only.
        Returns its path (a new file in the work dir unless `path` is given).
        """
        assert self.workdir is not None, "not started"
        if path is None:
            fd, name = tempfile.mkstemp(prefix=f"{user}-", suffix=".kubeconfig", dir=self.workdir)
            os.close(fd)
            path = name
        path = Path(path)
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": "test",
                    "cluster": {
                        "server": server or self.url,
                        # The serving cert is generated when the apiserver
                        # starts, so reference the file rather than inline it.
                        "certificate-authority": str(self.ca_file),
                    },
                }
            ],
            "users": [{"name": user, "user": {"token": token}}],
            "contexts": [{"name": "test", "context": {"cluster": "test", "user": user}}],
            "current-context": "test",
        }
        path.write_text(json.dumps(config, indent=2) + "\n")
        path.chmod(0o600)
        return path

    def env(self, kubeconfig: Path | str | None = None) -> dict[str, str]:
        """os.environ with KUBECONFIG set (admin by default) and the tools
        (kubectl, helm, ...) first on PATH, for subprocesses under test."""
        env = dict(os.environ)
        env["KUBECONFIG"] = str(kubeconfig or self.kubeconfig)
        env["PATH"] = f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}"
        return env

    def kubectl(
        self,
        *args: str,
        kubeconfig: Path | str | None = None,
        input: str | None = None,
        check: bool = True,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        """Run kubectl as admin (or with `kubeconfig`); output captured as text.
        With check=True a failure raises, showing kubectl's stderr."""
        result = subprocess.run(
            [str(self.bin_dir / "kubectl"), f"--kubeconfig={kubeconfig or self.kubeconfig}", *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise KubectlError(result.returncode, result.args, result.stdout, result.stderr)
        return result

    def ensure_namespace(self, name: str) -> None:
        self.kubectl("apply", "--server-side", "-f", "-", input=json.dumps(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        ))

    def ensure_service_account(self, name: str, namespace: str = "default") -> None:
        """Create the ServiceAccount (and its namespace) if missing; needed
        because no controller creates "default" unless controller_manager=True."""
        self.ensure_namespace(namespace)
        self.kubectl("apply", "--server-side", "-f", "-", input=json.dumps({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": name, "namespace": namespace},
        }))

    def create_token(
        self,
        service_account: str,
        namespace: str = "default",
        *,
        duration: str = "1h",
        audience: str | None = None,
    ) -> str:
        """A bound token for the ServiceAccount via the TokenRequest API."""
        args = ["create", "token", service_account, "-n", namespace, f"--duration={duration}"]
        if audience:
            args.append(f"--audience={audience}")
        return self.kubectl(*args).stdout.strip()

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        content_type: str = "application/json",
    ) -> tuple[int, Any]:
        """A raw API call (admin token unless `token`); returns (status, JSON
        body or text). HTTP errors are returned, not raised, so tests can
        assert on 403s."""
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {token or self.admin_token}")
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, context=self._ssl_context(), timeout=30) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def audit_events(self) -> list[dict[str, Any]]:
        """Every audit event logged so far (ApiServer(audit=True)), oldest first.
        An event is logged once its response is complete, so a request that has
        returned is in the log."""
        assert self.audit_log is not None, "started without audit=True"
        try:
            text = self.audit_log.read_text()
        except FileNotFoundError:
            return []
        # The last line may be half-written while a request completes.
        events = []
        for line in text.splitlines():
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
        return events

    def _ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def _get_ok(self, path: str) -> bool:
        # Before the apiserver has written its certificate there is nothing to
        # verify against; that, refused connections and 5xx all mean "not yet".
        if not self.ca_file.is_file():
            return False
        try:
            return self.request("GET", path)[0] == 200
        except (OSError, ssl.SSLError):
            return False


# Writes only, at Metadata level (who, what, which object; no bodies): reads are
# the bulk of the traffic and prove nothing about changes. One event per request,
# logged when its response is complete.
AUDIT_POLICY = {
    "apiVersion": "audit.k8s.io/v1",
    "kind": "Policy",
    "omitStages": ["RequestReceived", "ResponseStarted"],
    "rules": [
        {"level": "None", "verbs": ["get", "list", "watch"]},
        {"level": "Metadata"},
    ],
}


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.5, what: str = "condition"):
    """Poll `predicate` until it returns something truthy (which is returned),
    for the eventually-consistent parts (RBAC caches, garbage collection)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached within {timeout:.0f}s")
        time.sleep(interval)


def http_ok(url: str, insecure: bool = False) -> bool:
    context = None
    if insecure:
        # Only for health endpoints (controller manager, scheduler) whose
        # throwaway self-signed certificates nothing else needs to trust.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=5, context=context) as resp:
            return resp.status == 200
    except (OSError, ssl.SSLError):
        return False


def _generate_rsa_key(path: Path) -> None:
    # The standard library cannot make RSA keys; openssl is on every machine
    # these tests run on (and an apiserver without a signing key cannot issue
    # ServiceAccount tokens at all).
    openssl = shutil.which("openssl")
    if not openssl:
        raise StartupError("openssl is needed to generate the ServiceAccount signing key")
    subprocess.run(
        [openssl, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(path)],
        check=True,
        capture_output=True,
    )
    path.chmod(0o600)
