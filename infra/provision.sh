#!/usr/bin/env bash
# Provisions what the tests need on a Debian machine, from Debian packages, idempotently:
#   - PostgreSQL on its own data directory and port (127.0.0.1:${DCOS_PG_PORT:-55432}), role + database "dcos";
#   - dockerd (--bridge=none --iptables=false --ip-masq=false), waited for until its socket answers;
#   - the image local/busybox:1, built from the busybox-static package (there is no registry);
#   - Chromium for the browser tests.
# It writes the settings the tests read to $DCOS_STATE_DIR/test.env (default /var/lib/orleansdcos).
# Runs as root, or through sudo. A step that cannot be done stops it with one line: "provision: <reason>".
set -euo pipefail

STATE_DIR=${DCOS_STATE_DIR:-/var/lib/orleansdcos}
PG_PORT=${DCOS_PG_PORT:-55432}
PG_DATA="$STATE_DIR/postgres"
PG_PASSWORD=${DCOS_PG_PASSWORD:-dcos}
DOCKER_SOCKET=${DCOS_DOCKER_SOCKET:-/var/run/docker.sock}
IMAGE=local/busybox:1
ENV_FILE="$STATE_DIR/test.env"
LOG_DIR="$STATE_DIR/logs"

die() { echo "provision: $*" >&2; exit 1; }
say() { echo "provision: $*"; }

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else
  command -v sudo >/dev/null || die "not root and sudo is missing: run as root"
  SUDO=(sudo -n)
  "${SUDO[@]}" true 2>/dev/null || die "not root and sudo needs a password: run as root or allow passwordless sudo"
fi
as_root() { "${SUDO[@]}" "$@"; }

as_root mkdir -p "$STATE_DIR" "$LOG_DIR" || die "cannot create $STATE_DIR"

# ---------------------------------------------------------------- Debian packages
APT_UPDATED=
apt_install() { # apt_install <package>... — installs the ones that are missing
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "apt-get is missing: this script needs Debian (wanted: ${missing[*]})"
  if [ -z "$APT_UPDATED" ]; then
    as_root apt-get update >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed (see $LOG_DIR/apt.log)"
    APT_UPDATED=1
  fi
  say "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed (see $LOG_DIR/apt.log)"
}

apt_install ca-certificates curl postgresql docker.io busybox-static chromium dnsutils dnsperf haproxy prometheus

# ---------------------------------------------------------------- PostgreSQL (own cluster, own port)
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
# The server refuses to run as root: it runs as the "postgres" user the package creates.
if [ "$(id -u)" -eq 0 ] || [ ${#SUDO[@]} -gt 0 ]; then PG_USER=postgres; else PG_USER=$(id -un); fi
as_pg() { if [ "$(id -un)" = "$PG_USER" ]; then "$@"; else as_root runuser -u "$PG_USER" -- "$@"; fi; }

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  say "initializing PostgreSQL data directory $PG_DATA"
  as_root mkdir -p "$PG_DATA"
  as_root chown "$PG_USER" "$PG_DATA"
  as_root chmod 700 "$PG_DATA"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$LOG_DIR/initdb.log" 2>&1 || die "initdb failed (see $LOG_DIR/initdb.log)"
  as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<EOF
# OrleansDcos test server: loopback only, its own port and socket directory.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DATA'
max_connections = 400
shared_buffers = 256MB
EOF
fi
as_root chown "$PG_USER" "$LOG_DIR"
if ! pg_ready; then
  say "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start on port $PG_PORT (see $LOG_DIR/postgres.log)"
fi
pg_ready || die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
psql_admin() { as_pg "$PG_BIN/psql" -h "$PG_DATA" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "select 1 from pg_roles where rolname = 'dcos'")" != "1" ]; then
  psql_admin -c "create role dcos login createdb password '$PG_PASSWORD'" || die "cannot create role dcos"
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname = 'dcos'")" != "1" ]; then
  psql_admin -c "create database dcos owner dcos" || die "cannot create database dcos"
fi

# ---------------------------------------------------------------- dockerd
docker_ready() { as_root curl -fsS --max-time 2 --unix-socket "$DOCKER_SOCKET" http://docker/_ping >/dev/null 2>&1; }
if ! docker_ready; then
  say "starting dockerd"
  command -v dockerd >/dev/null || die "dockerd is missing after installing docker.io"
  # No bridge, no iptables: containers use host networking only (see ../shared/design/ENVIRONMENT.md).
  as_root setsid nohup dockerd --host "unix://$DOCKER_SOCKET" --bridge=none --iptables=false --ip-masq=false \
    >"$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
  for _ in $(seq 1 120); do docker_ready && break; sleep 0.5; done
  docker_ready || die "dockerd did not answer on $DOCKER_SOCKET within 60 s (see $LOG_DIR/dockerd.log)"
fi
# Let the tests (which may not run as root) use the socket.
as_root chmod 666 "$DOCKER_SOCKET" || die "cannot open $DOCKER_SOCKET to the test user"

# ---------------------------------------------------------------- local/busybox:1
image_present() { curl -fsS --unix-socket "$DOCKER_SOCKET" "http://docker/images/${IMAGE}/json" >/dev/null 2>&1; }
if ! image_present; then
  say "building $IMAGE from busybox-static"
  BUSYBOX=$(command -v busybox || true)
  [ -x /bin/busybox ] && BUSYBOX=/bin/busybox
  [ -n "$BUSYBOX" ] || die "busybox is missing after installing busybox-static"
  ROOTFS=$(mktemp -d)
  trap 'rm -rf "$ROOTFS"' EXIT
  mkdir -p "$ROOTFS/bin" "$ROOTFS/tmp" "$ROOTFS/etc" "$ROOTFS/www"
  cp "$BUSYBOX" "$ROOTFS/bin/busybox"
  for applet in $("$ROOTFS/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"
  done
  chmod 1777 "$ROOTFS/tmp"
  echo "root:x:0:0:root:/:/bin/sh" >"$ROOTFS/etc/passwd"
  echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$ROOTFS/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
  tar -C "$ROOTFS" -c . | curl -fsS --unix-socket "$DOCKER_SOCKET" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @- "http://docker/images/create?fromSrc=-&repo=local/busybox&tag=1" >"$LOG_DIR/image.log" 2>&1 \
    || die "importing $IMAGE failed (see $LOG_DIR/image.log)"
  image_present || die "$IMAGE is not present after the import (see $LOG_DIR/image.log)"
fi

# ---------------------------------------------------------------- Chromium
CHROMIUM=$(command -v chromium || true)
[ -n "$CHROMIUM" ] || die "chromium is missing after installing the chromium package"

# ---------------------------------------------------------------- dig (the DNS server's tests ask it)
DIG=$(command -v dig || true)
[ -n "$DIG" ] || die "dig is missing after installing the dnsutils package"

# ---------------------------------------------------------------- haproxy (the load balancer's tests run it)
HAPROXY=$(command -v haproxy || true)
[ -n "$HAPROXY" ] || die "haproxy is missing after installing the haproxy package"

# ---------------------------------------------------------------- Prometheus (scrapes the silo's /metrics in the tests)
PROMETHEUS=$(command -v prometheus || true)
PROMTOOL=$(command -v promtool || true)
[ -n "$PROMETHEUS" ] && [ -n "$PROMTOOL" ] || die "prometheus or promtool is missing after installing the prometheus package"

# ---------------------------------------------------------------- settings for the tests
TMP_ENV=$(mktemp)
cat >"$TMP_ENV" <<EOF
# Written by infra/provision.sh; sourced by infra/test.sh and read by the tests.
DCOS_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=dcos;Password=$PG_PASSWORD;Database=dcos;Maximum Pool Size=200;GSS Encryption Mode=Disable'
DCOS_TEST_DOCKER_SOCKET='$DOCKER_SOCKET'
DCOS_TEST_DOCKER_IMAGE='$IMAGE'
DCOS_TEST_CHROMIUM='$CHROMIUM'
DCOS_TEST_DIG='$DIG'
DCOS_TEST_HAPROXY='$HAPROXY'
DCOS_TEST_PROMETHEUS='$PROMETHEUS'
DCOS_TEST_PROMTOOL='$PROMTOOL'
EOF
as_root install -m 644 "$TMP_ENV" "$ENV_FILE"
rm -f "$TMP_ENV"
say "ready: PostgreSQL 127.0.0.1:$PG_PORT, dockerd $DOCKER_SOCKET, image $IMAGE, chromium $CHROMIUM, dig $DIG, haproxy $HAPROXY, prometheus $PROMETHEUS; settings in $ENV_FILE"
