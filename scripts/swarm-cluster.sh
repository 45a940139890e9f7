#!/usr/bin/env bash
# A two-node Docker Swarm on this one machine, for the swarm tests and the benchmark, beside the
# host's own dockerd, which it never touches:
#   swarm-cluster.sh start DIR   two dockerd (DIR/n1, DIR/n2), each with its own --data-root,
#                                --exec-root, socket and pid file, no bridge and no iptables;
#                                n1 inits the swarm on 127.0.0.1:2377, n2 joins on 127.0.0.1:2378;
#                                the test image is imported into both (there is no registry).
#                                Prints the manager's DOCKER_HOST.
#   swarm-cluster.sh stop DIR    stops both engines and removes DIR.
#   swarm-cluster.sh kill DIR N  stops node N's engine only (a node lost).
# Needs root, as dockerd does. DIR is best short: socket paths are limited to 108 bytes.
set -euo pipefail

IMAGE="${SVC_TEST_IMAGE:-svc-busybox:latest}"
action="${1:?usage: swarm-cluster.sh start|stop|kill DIR [N]}"
dir="${2:?usage: swarm-cluster.sh start|stop|kill DIR [N]}"

say() { echo "swarm-cluster: $*" >&2; }
sock() { echo "unix://$dir/n$1/docker.sock"; }
node_docker() { local n="$1"; shift; docker -H "$(sock "$n")" "$@"; }

# Whether process $1 is a dockerd started with pid file $2 (start_node's --pidfile names it).
started_with() {
  local cmdline
  [[ "$1" =~ ^[0-9]+$ ]] || return 1
  cmdline=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ $'\n'"$cmdline"$'\n' == *$'\n'"$2"$'\n'* ]]
}

stop_node() {
  local n="$1" pidfile="$dir/n$1/docker.pid"
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  # A stale pid file may name a pid reused since by another process (even the host's dockerd):
  # only a process started with this node's own pid file is stopped.
  if started_with "$pid" "$pidfile"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do started_with "$pid" "$pidfile" || break; sleep 0.1; done
    if started_with "$pid" "$pidfile"; then kill -KILL "$pid" 2>/dev/null || true; fi
  else
    say "node $n: pid $pid of $pidfile is not its dockerd (stale pid file); nothing stopped"
  fi
  rm -f "$pidfile"
}

start_node() {
  local n="$1"
  mkdir -p "$dir/n$n"
  dockerd -H "$(sock "$n")" --data-root "$dir/n$n/data" --exec-root "$dir/n$n/exec" --pidfile "$dir/n$n/docker.pid" \
    --bridge=none --iptables=false --ip6tables=false --shutdown-timeout=2 >>"$dir/n$n/dockerd.log" 2>&1 &
  for _ in $(seq 1 100); do node_docker "$n" version >/dev/null 2>&1 && return 0; sleep 0.2; done
  say "node $n's dockerd did not come up; see $dir/n$n/dockerd.log"
  tail -20 "$dir/n$n/dockerd.log" >&2
  return 1
}

import_image() {
  local root
  root=$(mktemp -d)
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh sleep echo true false cat env kill ls ps date; do ln -s busybox "$root/bin/$applet"; done
  for n in 1 2; do tar -C "$root" -c . | node_docker "$n" import --change 'CMD ["sh"]' - "$IMAGE" >/dev/null; done
  rm -rf "$root"
}

case "$action" in
  start)
    [ "$(id -u)" = 0 ] || { say "needs root (it starts dockerd)"; exit 1; }
    mkdir -p "$dir"
    start_node 1
    start_node 2
    node_docker 1 swarm init --advertise-addr 127.0.0.1:2377 --listen-addr 127.0.0.1:2377 --data-path-port 4790 >/dev/null
    token=$(node_docker 1 swarm join-token -q worker)
    node_docker 2 swarm join --token "$token" --advertise-addr 127.0.0.1:2378 --listen-addr 127.0.0.1:2378 127.0.0.1:2377 >/dev/null
    for _ in $(seq 1 100); do
      [ "$(node_docker 1 node ls --filter role=worker --format '{{.Status}}')" = Ready ] && break
      sleep 0.2
    done
    import_image
    sock 1
    ;;
  stop)
    for n in 2 1; do node_docker "$n" swarm leave --force >/dev/null 2>&1 || true; stop_node "$n"; done
    # An engine killed hard can leave its mounts behind; they must go before the dir can.
    # (No such mounts is the usual case: grep's exit 1 must not end the script before the dir goes.)
    { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
    # The engines' containerd may still be writing its last files for a moment after they exit.
    # (A failing rm must not end the script under set -e: it is tried again, then reported below.)
    for _ in $(seq 1 40); do
      rm -rf "$dir" 2>/dev/null || true
      [ -e "$dir" ] || break
      sleep 0.25
    done
    [ ! -e "$dir" ] || { say "could not remove $dir"; exit 1; }
    ;;
  kill)
    stop_node "${3:?node number}"
    ;;
  *)
    say "unknown action $action"
    exit 2
    ;;
esac
