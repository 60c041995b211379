"""OCI image archives built without a registry or a container builder.

Each image is one uncompressed layer holding files copied from this machine: our release
binaries with the shared libraries `ldd` says they load, or Debian's statically linked
busybox. The archive is an OCI image layout in a tar file, which both `ctr images
import` (the local cluster) and `kind load image-archive` accept. Layers are built
deterministically (fixed mtimes and owners), so the same inputs give the same digests.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

BUSYBOX = Path("/bin/busybox")  # Debian's busybox-static
# The nonroot user of distroless images, which the chart and the example workload run as.
NONROOT = 65532
PATH_ENV = "PATH=/usr/local/bin:/usr/bin:/bin"
PASSWD = f"root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:{NONROOT}:{NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n"
GROUP = f"root:x:0:\nnonroot:x:{NONROOT}:\n"

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar"


@dataclass
class Image:
    """An image to build: `name` as a pod spec names it (e.g. `authlet-sidecar:0.1.0`),
    the files of its single layer (path in the image → path on this machine), symbolic
    links, and the entrypoint. It runs as the nonroot user."""

    name: str
    files: dict[str, Path]
    entrypoint: list[str]
    symlinks: dict[str, str] = field(default_factory=dict)


def shared_libraries(binary: Path) -> list[Path]:
    """The shared objects `binary` loads (its interpreter included), as absolute paths
    on this machine; an image holding them at the same paths runs the binary."""
    result = subprocess.run(["ldd", str(binary)], capture_output=True, text=True)
    out = result.stdout + result.stderr
    if "statically linked" in out or "not a dynamic executable" in out:
        return []
    if result.returncode != 0:
        raise RuntimeError(f"ldd {binary}: {out.strip()}")
    libraries = []
    for line in out.splitlines():
        # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
        match = re.search(r"(/\S+) \(0x[0-9a-f]+\)", line)
        if match:
            libraries.append(Path(match.group(1)))
        elif "not found" in line:
            raise RuntimeError(f"{binary}: {line.strip()}")
    return libraries


def rust_binary_image(name: str, binary: Path) -> Image:
    """A distroless-like image: the binary in /usr/local/bin, its libraries, and the
    nonroot user; no shell."""
    files = {f"/usr/local/bin/{binary.name}": binary}
    for library in shared_libraries(binary):
        # Copy the file the link points at, under the name the loader asks for.
        files[str(library)] = library.resolve()
    return Image(name=name, files=files, entrypoint=[f"/usr/local/bin/{binary.name}"])


def busybox_image(name: str, entrypoint: list[str]) -> Image:
    """Debian's static busybox with its applets linked into /bin (sh, wget, sleep, ...)."""
    if not BUSYBOX.is_file() or shared_libraries(BUSYBOX):
        raise RuntimeError(f"{BUSYBOX} is not a static busybox: apt-get install busybox-static")
    applets = subprocess.run([str(BUSYBOX), "--list"], check=True, capture_output=True, text=True).stdout.split()
    return Image(
        name=name,
        files={"/bin/busybox": BUSYBOX},
        symlinks={f"/bin/{applet}": "busybox" for applet in applets if applet != "busybox"},
        entrypoint=entrypoint,
    )


def write_archive(image: Image, path: Path) -> Path:
    """Write `image` as an OCI layout in a tar file at `path`."""
    layer = _layer(image)
    diff_id = _digest(layer)
    config = _json({
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "User": f"{NONROOT}:{NONROOT}",
            "Env": [PATH_ENV],
            "Entrypoint": image.entrypoint,
            "WorkingDir": "/",
        },
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "tests/e2e/images.py"}],
    })
    manifest = _json({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": _descriptor(OCI_CONFIG, config),
        "layers": [_descriptor(OCI_LAYER, layer)],
    })
    reference = _qualified(image.name)
    index = _json({
        "schemaVersion": 2,
        "manifests": [{
            **_descriptor(OCI_MANIFEST, manifest),
            "annotations": {
                # containerd names the imported image after this annotation.
                "io.containerd.image.name": reference,
                "org.opencontainers.image.ref.name": reference.rsplit(":", 1)[1],
            },
        }],
    })
    with tarfile.open(path, "w") as archive:
        _add(archive, "oci-layout", _json({"imageLayoutVersion": "1.0.0"}))
        _add(archive, "index.json", index)
        for blob in (config, manifest, layer):
            _add(archive, f"blobs/sha256/{_digest(blob).split(':')[1]}", blob)
    return path


def _qualified(name: str) -> str:
    """The name the kubelet asks the runtime for: `authlet-sidecar:0.1.0` is
    `docker.io/library/authlet-sidecar:0.1.0` to every container runtime."""
    repository = name.rsplit(":", 1)[0]
    if "/" not in repository:
        return f"docker.io/library/{name}"
    first = repository.split("/", 1)[0]
    if "." in first or ":" in first or first == "localhost":
        return name
    return f"docker.io/{name}"


def _layer(image: Image) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as layer:
        directories = {"etc", "tmp"}
        for target in [*image.files, *image.symlinks]:
            parts = Path(target.lstrip("/")).parts[:-1]
            directories.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        for directory in sorted(directories):
            info = _info(directory, tarfile.DIRTYPE, 0o1777 if directory == "tmp" else 0o755)
            layer.addfile(info)
        for target, source in sorted(image.files.items()):
            _add(layer, target.lstrip("/"), source.read_bytes(), source.stat().st_mode & 0o755)
        for target, link in sorted(image.symlinks.items()):
            info = _info(target.lstrip("/"), tarfile.SYMTYPE, 0o777)
            info.linkname = link
            layer.addfile(info)
        # Names for the ids the pods run as, so that tools showing users do not fail.
        _add(layer, "etc/passwd", PASSWD.encode())
        _add(layer, "etc/group", GROUP.encode())
    return buffer.getvalue()


def _info(name: str, kind: bytes, mode: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def _add(archive: tarfile.TarFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = _info(name, tarfile.REGTYPE, mode)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _descriptor(media_type: str, data: bytes) -> dict:
    return {"mediaType": media_type, "digest": _digest(data), "size": len(data)}
