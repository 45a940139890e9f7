#!/usr/bin/env bash
# The main job in one minute: a container that keeps crashing, recovered by svc's supervisor,
# then stopped by the user and left alone. Uses its own state dir and removes what it made.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-docker.sh

IMAGE="${SVC_TEST_IMAGE:-svc-busybox:latest}"
export SVC_HOME; SVC_HOME="$(mktemp -d -t svc-demo-XXXX)"
svc() { ./bin/svc "$@"; }
# Shows the command as one would type it: words with spaces or shell characters in single quotes.
step() {
  local shown=() word
  for word in "$@"; do
    if [[ "$word" =~ [^A-Za-z0-9_.:/=-] ]]; then shown+=("'$word'"); else shown+=("$word"); fi
  done
  printf '\n$ svc %s\n' "${shown[*]}"
  svc "$@"
}
cleanup() {
  svc service terminate demo-web >/dev/null 2>&1 || true
  svc daemon stop >/dev/null 2>&1 || true
  rm -rf "$SVC_HOME"
}
trap cleanup EXIT

echo "svc demo (state in $SVC_HOME)"
echo "A web service whose containers crash 2 seconds after starting, with Docker Cloud's ON_FAILURE autorestart:"
step service run --autorestart ON_FAILURE -t 2 --name demo-web "$IMAGE" sh -c 'echo serving; sleep 2; echo crash >&2; exit 1'
step service ps
echo; echo "... 8 seconds later: the supervisor has restarted each crash, with incremental back-off"
sleep 8
step container ps
step events demo-web
echo; echo "The user stops the service; the supervisor does not fight it:"
step service stop demo-web
sleep 3
step service ps
echo; echo "Done. Try it yourself: ./bin/svc --help"
