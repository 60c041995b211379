#!/usr/bin/env bash
# The end-to-end suite on a kind cluster, for machines with Docker and kind (ours have
# neither; the same flow runs on a real API server in tests/operator). It builds the
# images, creates a cluster, installs the chart, applies the examples, and logs in
# from inside the workload's pod through its sidecar.
#
#   tests/kind/run.sh            # KEEP_CLUSTER=1 to keep the cluster afterwards
set -euo pipefail
cd "$(dirname "$0")/../.."

cluster=${KIND_CLUSTER:-authlet-e2e}
version=0.1.0
api_key=demo-api-key-change-me-0123456789

step() { printf '\n==> %s\n' "$*"; }

cleanup() {
  if [ -z "${KEEP_CLUSTER:-}" ]; then
    kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "images"
docker build -f tests/kind/Dockerfile.sidecar -t "authlet-sidecar:$version" .
docker build -f tests/kind/Dockerfile.operator -t "authlet-operator:$version" .
docker build -f tests/kind/Dockerfile.workload -t shop-workload:dev tests/kind

step "cluster"
kind create cluster --name "$cluster" --wait 120s
for image in "authlet-sidecar:$version" "authlet-operator:$version" shop-workload:dev; do
  kind load docker-image --name "$cluster" "$image"
done

step "operator"
helm install authlet charts/authlet --namespace authlet-system --create-namespace \
  --set image.tag="$version" --wait --timeout 180s

step "examples"
kubectl apply --server-side -f examples/kubernetes/namespace.yaml
kubectl apply --server-side -f examples/kubernetes/api-key-secret.yaml \
  -f examples/kubernetes/tenant.yaml -f examples/kubernetes/applications.yaml
kubectl -n shop wait --for=condition=Ready tenant/acme --timeout=120s
kubectl apply --server-side -f examples/kubernetes/workload.yaml
kubectl -n shop rollout status deployment/shop --timeout=180s

step "login from inside the workload's pod"
application_id=$(kubectl -n shop get application storefront -o jsonpath='{.status.id}')
in_pod() { kubectl -n shop exec deploy/shop -c workload -- "$@"; }
in_pod wget -q -O- --header "Authorization: $api_key" --header 'Content-Type: application/json' \
  --post-data "{\"registration\":{\"applicationId\":\"$application_id\"},\"user\":{\"email\":\"kind@example.com\",\"password\":\"correct-horse-42\"}}" \
  http://127.0.0.1:9011/api/user/registration >/dev/null
response=$(in_pod wget -q -O- --header "Authorization: $api_key" --header 'Content-Type: application/json' \
  --post-data "{\"loginId\":\"kind@example.com\",\"password\":\"correct-horse-42\",\"applicationId\":\"$application_id\"}" \
  http://127.0.0.1:9011/api/login)
case $response in
  *'"token"'*) echo "login through the sidecar: ok" ;;
  *) echo "login failed: $response" >&2; exit 1 ;;
esac
