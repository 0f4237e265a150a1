#!/usr/bin/env bash
# Slipway test-environment manager: a private dockerd, a busybox test image and
# a private sshd (user "slipway") on 127.0.0.1, all living under one state dir.
#
# Usage: scripts/test-env.sh up|down [--purge]|env|ssh-stop|ssh-start|status
#
# `up` prints `export NAME=value` lines on stdout (also saved to $DIR/env);
# everything else goes to stderr.
set -euo pipefail

# Sudo/cron style callers may lack the sbin dirs; append so the caller's
# choice of `docker` client still wins.
PATH="$PATH:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

DIR="$(realpath -m -- "${SLIPWAY_TEST_ENV_DIR:-/tmp/slipway-test-env}")"
DOCKER_SOCK="$DIR/docker.sock"
DOCKER_PIDFILE="$DIR/docker.pid"
DOCKER_LOG="$DIR/dockerd.log"
CONTAINERD_PIDFILE="$DIR/docker-exec/containerd/containerd.pid"
SSH_DIR="$DIR/ssh"
SSHD_CONFIG="$SSH_DIR/sshd_config"
SSHD_PIDFILE="$SSH_DIR/sshd.pid"
SSHD_LOG="$SSH_DIR/sshd.log"
SSH_PORT_FILE="$SSH_DIR/port"
HOST_KEY="$SSH_DIR/ssh_host_ed25519_key"
CLIENT_KEY="$SSH_DIR/client_ed25519"
AUTHORIZED_KEYS="$SSH_DIR/authorized_keys"
ENV_FILE="$DIR/env"

IMAGE="slipway-test/busybox:1"
# Real PostgreSQL from Debian's packages, for the database consistency tests (no registry is reachable).
POSTGRES_IMAGE="slipway-test/postgres:15"
REDIS_IMAGE="slipway-test/redis:7"
# The debootstrapped rootfs survives `down --purge`: building it takes a minute and the network.
CACHE_DIR="$(realpath -m -- "${SLIPWAY_TEST_CACHE_DIR:-/var/cache/slipway-test}")"
SSH_USER="slipway"
SSH_HOST="127.0.0.1"
CHROMIUM="/usr/bin/chromium"
STOP_TIMEOUT=20

log() { printf 'test-env: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Run a command until it succeeds or $1 seconds pass.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# --- process helpers --------------------------------------------------------

# Prints the pid from pidfile $1 if that process is alive and its command line
# contains $2 (guards against stale pidfiles, recycled pids and zombies).
live_pid() {
  local pid
  pid="$(cat "$1" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # Not kill -0: it fails for non-root callers and succeeds for zombies,
  # whereas a zombie's cmdline is empty.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2" || return 1
  echo "$pid"
}

# Zombies count as gone: where PID 1 does not reap, they linger forever.
pid_gone() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }" # drop "pid (comm) ", comm may contain spaces
  [[ ${stat%% *} == Z ]]
}

# SIGTERM, wait up to $STOP_TIMEOUT seconds, then SIGKILL.
terminate() {
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  if ! wait_until "$STOP_TIMEOUT" pid_gone "$pid"; then
    log "$name (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_until 5 pid_gone "$pid" || log "warning: $name (pid $pid) still present"
  fi
}

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

port_open() { (exec 3<>"/dev/tcp/$SSH_HOST/$1") 2>/dev/null; }
port_closed() { ! port_open "$1"; }

# --- packages ---------------------------------------------------------------

busybox_is_static() {
  [[ -x /usr/bin/busybox ]] || return 1
  local out
  out="$(LC_ALL=C ldd /usr/bin/busybox 2>&1)" || true # ldd exits 1 for static binaries
  [[ $out == *"not a dynamic executable"* || $out == *"statically linked"* ]]
}

missing_packages() {
  [[ -x /usr/sbin/dockerd ]] || echo docker.io
  busybox_is_static || echo busybox-static
  [[ -x /usr/sbin/sshd ]] || echo openssh-server
  [[ -x "$CHROMIUM" ]] || echo chromium
  [[ -x /usr/sbin/debootstrap ]] || echo debootstrap
  # The reference the compose tests and the deploy benchmark compare against (compose v1).
  [[ -x /usr/bin/docker-compose ]] || echo docker-compose
  # Snapshot stores: restic is the engine, rclone serves the loopback REST repository.
  command -v restic >/dev/null || echo restic
  command -v rclone >/dev/null || echo rclone
}

ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]})) || return 0
  if [[ $EUID -ne 0 || ! -f /etc/debian_version ]]; then
    die "missing packages: ${missing[*]} (install them as root on Debian: apt-get install ${missing[*]})"
  fi
  log "installing: ${missing[*]}"
  # Keep postinst scripts from starting the system-wide docker/ssh services.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && created_policy=1
  fi
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  } >&2 || rc=$?
  if [[ -n $created_policy ]]; then rm -f "$policy"; fi
  ((rc == 0)) || die "apt-get failed (exit $rc)"
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} == 0)) || die "still missing after install: ${missing[*]}"
}

# --- state dir, user ----------------------------------------------------------

ensure_state_dir() {
  mkdir -p "$DIR" "$SSH_DIR"
  # The slipway user must traverse these to reach the socket and authorized_keys.
  chmod 0755 "$DIR" "$SSH_DIR"
}

ensure_user() {
  getent group docker >/dev/null || groupadd --system docker
  if ! id "$SSH_USER" >/dev/null 2>&1; then
    log "creating user $SSH_USER"
    useradd --create-home --home-dir "/home/$SSH_USER" --shell /bin/bash --groups docker "$SSH_USER"
  fi
  id -nG "$SSH_USER" | tr ' ' '\n' | grep -qx docker || usermod -aG docker "$SSH_USER"
  # sshd (UsePAM no) rejects accounts whose hash starts with "!"; "*" means
  # "no password" but not locked, so pubkey auth works.
  [[ "$(getent shadow "$SSH_USER" | cut -d: -f2)" == "*" ]] || usermod -p '*' "$SSH_USER"
}

# --- dockerd ----------------------------------------------------------------

docker_cli() { docker -H "unix://$DOCKER_SOCK" "$@"; }
docker_answers() { docker_cli version >/dev/null 2>&1; }
dockerd_pid() { live_pid "$DOCKER_PIDFILE" "$DOCKER_SOCK"; }

start_dockerd() {
  if dockerd_pid >/dev/null; then
    wait_until 30 docker_answers || die "dockerd is running but not answering; see $DOCKER_LOG"
    return 0
  fi
  # dockerd refuses to start over a pidfile whose pid happens to be alive.
  rm -f "$DOCKER_PIDFILE"
  stop_orphan_containerd
  log "starting dockerd"
  setsid nohup dockerd \
    --host "unix://$DOCKER_SOCK" \
    --data-root "$DIR/docker-data" \
    --exec-root "$DIR/docker-exec" \
    --pidfile "$DOCKER_PIDFILE" \
    --bridge=none --iptables=false --ip6tables=false \
    --group docker \
    </dev/null >>"$DOCKER_LOG" 2>&1 &
  if ! wait_until 30 docker_answers; then
    tail -n 30 "$DOCKER_LOG" >&2 || true
    die "dockerd did not come up within 30s (log: $DOCKER_LOG)"
  fi
}

# Call only while our dockerd is down. A SIGKILLed dockerd may leave its
# containerd running, or (where PID 1 does not reap) as a zombie whose pid
# dockerd's kill(0) check mistakes for a live containerd and waits on forever.
stop_orphan_containerd() {
  local pid
  if pid="$(live_pid "$CONTAINERD_PIDFILE" "$DIR/docker-exec")"; then
    log "stopping leftover containerd (pid $pid)"
    terminate "$pid" containerd
  fi
  rm -f "$CONTAINERD_PIDFILE"
}

# Shims (and their containers) survive a crashed dockerd; once the state dir
# is purged nothing would ever reap them.
stop_orphan_shims() {
  local addr="-address $DIR/docker-exec/containerd/containerd.sock" shim victims
  for shim in $(ps -eo pid=,comm=,args= | awk -v a="$addr" '$2 ~ /^containerd-shim/ && index($0, a) { print $1 }'); do
    log "killing leftover containerd-shim (pid $shim) and its container"
    mapfile -t victims < <(descendants "$shim")
    kill -KILL "${victims[@]}" "$shim" 2>/dev/null || true
  done
}

stop_dockerd() {
  local pid
  if pid="$(dockerd_pid)"; then
    log "stopping dockerd (pid $pid)"
    terminate "$pid" dockerd
  fi
  rm -f "$DOCKER_PIDFILE"
  stop_orphan_containerd
  stop_orphan_shims
}

build_image() {
  docker_cli image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  log "building $IMAGE"
  local rootfs applet
  rootfs="$(mktemp -d "$DIR/rootfs.XXXXXX")"
  mkdir -p "$rootfs"/{bin,usr/bin,etc,root,proc,sys,dev}
  install -m 0755 /usr/bin/busybox "$rootfs/bin/busybox"
  for applet in $(/usr/bin/busybox --list); do
    [[ $applet == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
  done
  ln -sf /bin/busybox "$rootfs/usr/bin/env"
  install -d -m 1777 "$rootfs/tmp"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$rootfs/etc/passwd"
  printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$rootfs/etc/group"
  tar -C "$rootfs" --numeric-owner -c . |
    docker_cli import --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
}

# Starts PostgreSQL on $PGDATA (made and handed to the postgres user when empty), listening on its
# unix socket only: the tests talk to it through `docker exec … psql`, never over a network.
PG_START='#!/bin/sh
set -e
export PATH=/usr/lib/postgresql/15/bin:$PATH
: "${PGDATA:=/var/lib/postgresql/data}"
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 0700 "$PGDATA"
  # setpriv execs (runuser would stay PID 1 and swallow the stop signal).
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then initdb --data-checksums -D "$PGDATA" -U postgres --auth=trust >/dev/null; fi
exec postgres -D "$PGDATA" -c listen_addresses= -c unix_socket_directories=/run/postgresql -c fsync=on "$@"
'

# A Debian rootfs with `packages` (comma-separated), built once with debootstrap and cached as a tar.
debootstrap_rootfs() {
  local name="$1" packages="$2"
  local cached="$CACHE_DIR/$name-rootfs.tar"
  if [[ ! -s $cached ]]; then
    log "building the $name rootfs with debootstrap (once; cached in $CACHE_DIR)"
    mkdir -p "$CACHE_DIR"
    local rootfs
    rootfs="$(mktemp -d "$CACHE_DIR/rootfs.XXXXXX")"
    debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" http://deb.debian.org/debian >&2 ||
      die "debootstrap of $packages failed"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/{doc,man,info}
    tar -C "$rootfs" --numeric-owner -cf "$cached.tmp" . && mv "$cached.tmp" "$cached"
    rm -rf "$rootfs"
  fi
  printf '%s' "$cached"
}

# Imports `rootfs` as `tag` with `start` as /usr/local/bin/start (its CMD), stopped by `signal`;
# the remaining arguments are more `docker import --change` lines.
import_database_image() {
  local rootfs="$1" tag="$2" start="$3" signal="$4"
  shift 4
  local changes=() change
  for change in "$@"; do changes+=(--change "$change"); done
  log "importing $tag"
  local imported="$tag-imported" container script
  docker_cli import "${changes[@]}" --change 'CMD ["/usr/local/bin/start"]' "$rootfs" "$imported" >/dev/null
  # import cannot set a stop signal; a container created with one, committed, keeps it.
  container="$(docker_cli create --stop-signal "$signal" --network none "$imported")"
  script="$(mktemp -d)"
  printf '%s' "$start" >"$script/start"
  chmod 0755 "$script/start"
  docker_cli cp "$script/start" "$container:/usr/local/bin/start"
  rm -rf "$script"
  docker_cli commit "$container" "$tag" >/dev/null
  docker_cli rm "$container" >/dev/null
  docker_cli rmi "$imported" >/dev/null
}

build_postgres_image() {
  docker_cli image inspect "$POSTGRES_IMAGE" >/dev/null 2>&1 && return 0
  local rootfs
  rootfs="$(debootstrap_rootfs postgres-15 postgresql-15)"
  # SIGINT is PostgreSQL's fast shutdown (SIGTERM waits for every client).
  import_database_image "$rootfs" "$POSTGRES_IMAGE" "$PG_START" SIGINT \
    'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'ENV PGDATA=/var/lib/postgresql/data'
}

# Starts Redis as the official image does: data in /data (its working directory), the default save
# points (so a stop saves), no AOF; it listens on the container's loopback only.
REDIS_START='#!/bin/sh
set -e
if [ "$(id -u)" = 0 ]; then
  mkdir -p /data
  chown redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
cd /data
exec redis-server --dir /data --bind 127.0.0.1 --port 6379 "$@"
'

build_redis_image() {
  docker_cli image inspect "$REDIS_IMAGE" >/dev/null 2>&1 && return 0
  local rootfs
  rootfs="$(debootstrap_rootfs redis-7 redis-server)"
  import_database_image "$rootfs" "$REDIS_IMAGE" "$REDIS_START" SIGTERM 'WORKDIR /data'
}

# --- sshd -------------------------------------------------------------------

sshd_pid() { live_pid "$SSHD_PIDFILE" "$SSHD_CONFIG"; }
ssh_port() { cat "$SSH_PORT_FILE"; }

pick_free_port() {
  local port
  for ((port = 2222; port < 2400; port++)); do
    if [[ -z "$(ss -Hltn "sport = :$port")" ]] && port_closed "$port"; then
      echo "$port"
      return 0
    fi
  done
  die "no free TCP port found in 2222-2399"
}

ensure_ssh_keys() {
  [[ -s "$HOST_KEY" ]] || ssh-keygen -q -t ed25519 -N '' -C slipway-test-host -f "$HOST_KEY" </dev/null >&2
  [[ -s "$CLIENT_KEY" ]] || ssh-keygen -q -t ed25519 -N '' -C slipway-test-client -f "$CLIENT_KEY" </dev/null >&2
  # Both private keys must be 0600/root or sshd/ssh refuse them.
  chown root:root "$HOST_KEY" "$CLIENT_KEY"
  chmod 0600 "$HOST_KEY" "$CLIENT_KEY"
  chmod 0644 "$HOST_KEY.pub" "$CLIENT_KEY.pub"
  local pub
  pub="$(cat "$CLIENT_KEY.pub")"
  touch "$AUTHORIZED_KEYS"
  grep -qxF -- "$pub" "$AUTHORIZED_KEYS" || echo "$pub" >>"$AUTHORIZED_KEYS"
  # sshd reads authorized_keys as the target user.
  chmod 0644 "$AUTHORIZED_KEYS"
}

write_sshd_config() {
  [[ -s "$SSH_PORT_FILE" ]] || pick_free_port >"$SSH_PORT_FILE"
  cat >"$SSHD_CONFIG" <<EOF
ListenAddress $SSH_HOST
Port $(ssh_port)
HostKey $HOST_KEY
PidFile $SSHD_PIDFILE
AuthorizedKeysFile $AUTHORIZED_KEYS
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
UsePAM no
AllowUsers $SSH_USER
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
ClientAliveInterval 5
MaxStartups 100:30:200
MaxSessions 100
LogLevel VERBOSE
Subsystem sftp internal-sftp
EOF
  chmod 0644 "$SSHD_CONFIG"
}

start_sshd() {
  [[ -f "$SSHD_CONFIG" ]] || die "no sshd config at $SSHD_CONFIG; run 'up' first"
  local port
  port="$(ssh_port)"
  if ! sshd_pid >/dev/null; then
    rm -f "$SSHD_PIDFILE"
    mkdir -p /run/sshd
    chmod 0755 /run/sshd
    /usr/sbin/sshd -t -f "$SSHD_CONFIG" || die "invalid sshd config $SSHD_CONFIG"
    log "starting sshd on $SSH_HOST:$port"
    /usr/sbin/sshd -f "$SSHD_CONFIG" -E "$SSHD_LOG" </dev/null >/dev/null 2>&1 ||
      die "sshd failed to start; see $SSHD_LOG"
  fi
  if ! wait_until 15 port_open "$port"; then
    tail -n 20 "$SSHD_LOG" >&2 || true
    die "sshd is not accepting connections on port $port"
  fi
}

# Killing the listener leaves per-connection sshd processes (and their
# sessions) alive; kill the whole tree so live connections really drop.
stop_sshd() {
  local pid children
  if pid="$(sshd_pid)"; then
    log "stopping sshd (pid $pid) and its sessions"
    mapfile -t children < <(descendants "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    if ((${#children[@]})); then
      kill -TERM "${children[@]}" 2>/dev/null || true
      wait_until 3 all_gone "${children[@]}" || kill -KILL "${children[@]}" 2>/dev/null || true
    fi
    wait_until "$STOP_TIMEOUT" pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SSHD_PIDFILE"
  [[ -s "$SSH_PORT_FILE" ]] || return 0
  wait_until 10 port_closed "$(ssh_port)" || die "port $(ssh_port) still open after stopping sshd"
}

all_gone() {
  local pid
  for pid in "$@"; do pid_gone "$pid" || return 1; done
}

ssh_as_user() {
  ssh -i "$CLIENT_KEY" -p "$(ssh_port)" \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o BatchMode=yes -o ConnectTimeout=10 -o LogLevel=ERROR \
    "$SSH_USER@$SSH_HOST" "$@" </dev/null
}

verify_ssh_docker() {
  local out
  if out="$(ssh_as_user "docker -H unix://$DOCKER_SOCK version --format '{{.Server.Version}}'" 2>&1)"; then
    log "ssh -> docker OK (server $out)"
  elif ssh_as_user "test -S $DOCKER_SOCK && test -r $DOCKER_SOCK && test -w $DOCKER_SOCK" >&2; then
    log "ssh OK; $SSH_USER can use $DOCKER_SOCK (no docker client on its PATH: $out)"
  else
    tail -n 20 "$SSHD_LOG" >&2 || true
    die "self-check failed: $SSH_USER cannot reach the docker socket over ssh ($out)"
  fi
}

# --- env ----------------------------------------------------------------------

env_line() { printf 'export SLIPWAY_TEST_%s=%q\n' "$1" "$2"; }

write_env() {
  {
    env_line ENV_DIR "$DIR"
    env_line DOCKER_HOST "unix://$DOCKER_SOCK"
    env_line DOCKER_SOCKET "$DOCKER_SOCK"
    env_line IMAGE "$IMAGE"
    env_line POSTGRES_IMAGE "$POSTGRES_IMAGE"
    env_line REDIS_IMAGE "$REDIS_IMAGE"
    env_line SSH_HOST "$SSH_HOST"
    env_line SSH_PORT "$(ssh_port)"
    env_line SSH_USER "$SSH_USER"
    env_line SSH_KEY "$CLIENT_KEY"
    env_line SSH_HOST_KEY_PUB "$HOST_KEY.pub"
    env_line SSH_AUTHORIZED_KEYS "$AUTHORIZED_KEYS"
    env_line SSHD_CONFIG "$SSHD_CONFIG"
    env_line CHROMIUM "$CHROMIUM"
  } >"$ENV_FILE.tmp"
  chmod 0644 "$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

# --- purge --------------------------------------------------------------------

unmount_under_dir() {
  local target
  # Field 5 of mountinfo is the mount point; deepest first.
  awk -v d="$DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r target; do
      target="$(printf '%b' "$target")" # mountinfo escapes spaces as \040
      umount "$target" 2>/dev/null || umount -l "$target" || true
    done
}

# rm -rf through a leftover bind mount would delete whatever it points at.
purge_state_dir() {
  unmount_under_dir
  if awk -v d="$DIR/" 'index($5, d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
    die "refusing to delete $DIR: something is still mounted under it"
  fi
  rm -rf --one-file-system "$DIR"
}

# --- commands ---------------------------------------------------------------

cmd_up() {
  ensure_packages
  [[ $EUID -eq 0 ]] || die "'up' must run as root (it starts dockerd and sshd)"
  ensure_state_dir
  ensure_user
  start_dockerd
  build_image
  build_postgres_image
  build_redis_image
  ensure_ssh_keys
  write_sshd_config
  start_sshd
  verify_ssh_docker
  write_env
  cat "$ENV_FILE"
}

cmd_down() {
  local purge=
  case "${1:-}" in
    "") ;;
    --purge) purge=1 ;;
    *) die "usage: $0 down [--purge]" ;;
  esac
  stop_sshd
  stop_dockerd
  rm -f "$ENV_FILE"
  if [[ -n $purge && -d "$DIR" ]]; then
    log "purging $DIR"
    purge_state_dir
  fi
}

cmd_env() {
  if [[ ! -f "$ENV_FILE" ]] || ! dockerd_pid >/dev/null; then
    die "test environment is not up (run: $0 up)"
  fi
  cat "$ENV_FILE"
}

cmd_status() {
  local pid
  if pid="$(dockerd_pid)"; then echo "dockerd: running (pid $pid, $DOCKER_SOCK)"; else echo "dockerd: stopped"; fi
  if pid="$(sshd_pid)"; then echo "sshd: running (pid $pid, $SSH_HOST:$(ssh_port))"; else echo "sshd: stopped"; fi
}

usage() {
  echo "usage: $0 up | down [--purge] | env | ssh-stop | ssh-start | status" >&2
  exit 2
}

main() {
  [[ $# -ge 1 ]] || usage
  local cmd=$1
  shift
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down "$@" ;;
    env) cmd_env ;;
    ssh-stop) stop_sshd ;;
    ssh-start) start_sshd ;;
    status) cmd_status ;;
    *) usage ;;
  esac
}

main "$@"
