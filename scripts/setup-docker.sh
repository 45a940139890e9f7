#!/usr/bin/env bash
# Makes this machine ready for svc's demo and tests: Docker engine installed and running, the test
# image present, and Chromium for the web page's tests. Safe to run again: each step runs only when its thing is missing.
set -euo pipefail

IMAGE="${SVC_TEST_IMAGE:-svc-busybox:latest}"
DOCKERD_LOG="${SVC_DOCKERD_LOG:-/var/log/svc-dockerd.log}"

say() { echo "setup: $*" >&2; }
need_root() {
  if [ "$(id -u)" != 0 ]; then
    say "$1 needs root; run this script as root (sudo npm run setup)"
    exit 1
  fi
}

apt_install() {
  need_root "installing $*"
  if [ -z "${APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  say "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  apt_install docker.io
fi
# The test image is a static busybox: no registry can be reached from here.
if ! dpkg -s busybox-static >/dev/null 2>&1; then
  apt_install busybox-static
fi
# The web page's tests drive Debian's Chromium through playwright-core, which downloads no browser.
if ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium
fi

if ! docker info >/dev/null 2>&1; then
  need_root "starting dockerd"
  say "starting dockerd (log: $DOCKERD_LOG)"
  # No bridge and no iptables: containers get no network, which is all svc's tests need.
  nohup dockerd --bridge=none --iptables=false --ip6tables=false >>"$DOCKERD_LOG" 2>&1 &
  # Up to 5 minutes: a dockerd that restarts first removes the stale network sandboxes of every
  # container removed since it last started (one per container with --bridge=none), ~0.2 s each.
  deadline=$((SECONDS + 300))
  while [ "$SECONDS" -lt "$deadline" ]; do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { say "dockerd did not come up; see $DOCKERD_LOG"; tail -20 "$DOCKERD_LOG" >&2; exit 1; }
fi

if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
  say "importing $IMAGE from /bin/busybox"
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh sleep echo true false cat env kill ls ps date; do ln -s busybox "$root/bin/$applet"; done
  tar -C "$root" -c . | docker import --change 'CMD ["sh"]' - "$IMAGE" >/dev/null
fi
say "ready: $(docker version --format 'Docker engine {{.Server.Version}}'), image $IMAGE"
