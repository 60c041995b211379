#!/usr/bin/env bash
# The end-to-end suite (tests/e2e) on a kind cluster, for machines with Docker and kind.
# Ours have neither; the README's test command runs the same suite on a one-node
# cluster it builds on the machine itself. The steps, the images (built by the suite
# from the release binaries and Debian's busybox-static) and the kubelet's sync period
# are the same on both; only the cluster differs.
#
#   tests/kind/run.sh            # KEEP_CLUSTER=1 to keep the cluster afterwards
#
# Needs Docker, kind, Rust, Python 3.11+ and busybox-static (Debian's or Ubuntu's
# package). kubectl and helm come from scripts/kube-tools (built once from their Go
# modules), or from AUTHLET_KUBE_BIN, any directory holding both.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build --release --locked -p authlet-sidecar -p authlet-operator
AUTHLET_RELEASE_DIR=${CARGO_TARGET_DIR:-$PWD/target}/release
export AUTHLET_RELEASE_DIR
python=$(scripts/python-env)
AUTHLET_E2E_CLUSTER=kind "$python" -m pytest tests/e2e -p no:cacheprovider "$@"
