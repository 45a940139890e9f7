#!/usr/bin/env bash
# npm test: every test, in the order that fails soonest and finishes soonest (README.md, "The two commands").
#  1. The machine made ready (scripts/setup-docker.sh: Docker, the test image, Chromium).
#  2. The unit tier, while the bundle (scripts/bundle.mjs: dist/), typecheck and lint run beside it:
#     none of them writes what another reads (the unit tier needs no dist/). `npm run build`'s own
#     tsc passes are typecheck's, so they are not run twice.
#  3. The docker and e2e tiers together, on several workers: they share the host's dockerd (each
#     test has its own state dir and unique names) and spend most of their time waiting on it.
#  4. The serial project (jest.config.js), one test file at a time: assertions that race the clock.
#  5. In CI (CI=true), or when asked for (SVC_TEST_DOCKERD=1), the test that restarts the host's
#     dockerd, alone and last: it stops every container on the host, so nothing else may run beside
#     it (jest.config.js).
# SVC_TEST_WORKERS sets step 3's workers (default 4).
set -euo pipefail
cd "$(dirname "$0")/.."

jest() { NODE_OPTIONS=--experimental-vm-modules node_modules/.bin/jest "$@"; }
say() { echo "test-all: $*" >&2; }

bash scripts/setup-docker.sh

logs=$(mktemp -d)
pids=()
# Each check runs in a process group of its own (setsid), so that stopping it stops its tsc, eslint
# or esbuild too, not only npm.
stop_checks() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  rm -rf "$logs"
}
trap stop_checks EXIT

checks=(bundle typecheck lint)
for check in "${checks[@]}"; do
  case "$check" in
    bundle) argv=(node scripts/bundle.mjs) ;;
    *) argv=(npm run --silent "$check") ;;
  esac
  setsid "${argv[@]}" >"$logs/$check" 2>&1 &
  pids+=($!)
done

say "unit tier (beside the bundle, typecheck and lint)"
jest --selectProjects unit --maxWorkers=2

failed=0
for i in "${!checks[@]}"; do
  check=${checks[$i]}
  if ! wait "${pids[$i]}"; then
    say "$check failed:"
    cat "$logs/$check" >&2
    failed=1
  fi
done
pids=()
[ "$failed" = 0 ] || exit 1

say "docker and e2e tiers"
jest --selectProjects docker e2e --maxWorkers="${SVC_TEST_WORKERS:-4}"

say "the serial tests, one at a time"
jest --selectProjects serial --runInBand

if [ "${CI:-}" = true ] || [ "${SVC_TEST_DOCKERD:-}" = 1 ]; then
  say "the dockerd restart, alone"
  jest --selectProjects dockerd --runInBand
fi
