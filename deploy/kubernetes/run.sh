#!/usr/bin/env bash
# Generate a dataset on a Kubernetes cluster: build the image, generate the shards as an Indexed
# Job, wait for every index, then assemble. Needs kubectl pointed at the cluster, docker, and an
# image registry the cluster pulls from (IMAGE=registry.example/ato-bench:0.1.0).
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE="${IMAGE:-ato-bench:0.1.0}"
npm pack --silent >/dev/null
docker build -f deploy/kubernetes/Dockerfile -t "$IMAGE" .
[ "$IMAGE" = ato-bench:0.1.0 ] || docker push "$IMAGE"
rm -f ato-bench-*.tgz
kubectl apply -f deploy/kubernetes/volume.yaml
kubectl delete job ato-bench-generate ato-bench-assemble --ignore-not-found
sed "s|image: ato-bench:0.1.0|image: $IMAGE|" deploy/kubernetes/generate-job.yaml | kubectl apply -f -
# Wait for a Job to complete; stop (with its last log lines) if it fails instead.
wait_job() {
  while :; do
    state=$(kubectl get job "$1" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
    case "$state" in
      *Complete*) return 0 ;;
      *Failed*) echo "job $1 failed" >&2; kubectl logs "job/$1" --tail=20 >&2 || true; return 1 ;;
    esac
    sleep 10
  done
}
wait_job ato-bench-generate
sed "s|image: ato-bench:0.1.0|image: $IMAGE|" deploy/kubernetes/assemble-job.yaml | kubectl apply -f -
wait_job ato-bench-assemble
kubectl logs job/ato-bench-assemble
