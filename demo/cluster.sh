# `./hall.sh demo --nodes 2`: the two-node demo, sourced by hall.sh (uses its ROOT, CACHE, DATA, CHILDREN, BACKING,
# log, die, wait_for_http). PostgreSQL, Redis, two Console nodes and HAProxy, all on loopback, stopped with the demo.
# What each part is and how a city sets it up for real: docs/cluster.md.

CLUSTER="$DATA/cluster"
PG_PORT=15432
REDIS_PORT=16379
NODE_PORTS=(5081 5082)
CLUSTER_PORTS=(5081 5082 "$PG_PORT" "$REDIS_PORT")
PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=servicehall;Username=servicehall"
PG_CTL=()

# initdb and the server refuse to run as root: as root they run as Debian's postgres user.
as_postgres() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local bin
  bin="$(find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -1)"
  [[ -n "$bin" ]] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run ./hall.sh setup"
  dirname "$bin"
}

# The database lives in data/cluster/postgres, so sites, users and events persist between demo runs like the one-node
# demo's data/console. As root, the postgres user must reach it; a clone under a home folder closed to others (/root
# is 0700) cannot, and the database then goes to /var/tmp/servicehall-demo-postgres instead (said at start).
pg_folder() {
  local folder="$CLUSTER/postgres"
  mkdir -p "$folder"
  ((EUID == 0)) && chown postgres:postgres "$folder"
  if ! as_postgres test -w "$folder"; then
    folder=/var/tmp/servicehall-demo-postgres
    log "the postgres user cannot reach $CLUSTER; PostgreSQL's data goes to $folder"
    mkdir -p "$folder"
    ((EUID == 0)) && chown postgres:postgres "$folder"
  fi
  echo "$folder"
}

start_postgres() {
  local bin folder
  bin="$(pg_bin)"
  folder="$(pg_folder)"
  if [[ ! -f "$folder/data/PG_VERSION" ]]; then
    log "creating the demo's PostgreSQL database in $folder/data"
    as_postgres "$bin/initdb" -D "$folder/data" -U servicehall --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  # Loopback TCP only (no Unix socket, whose path would depend on the clone's): trust there is a demo's shortcut; a
  # city gives the role a password (docs/cluster.md).
  as_postgres "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null ||
    die "PostgreSQL did not start; see $folder/server.log"
  PG_CTL=("$bin/pg_ctl" -D "$folder/data")
  if [[ -z "$("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U servicehall -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'servicehall'")" ]]; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U servicehall servicehall
  fi
  log "PostgreSQL on 127.0.0.1:$PG_PORT (data $folder/data, log $folder/server.log)"
}

stop_postgres() {
  ((${#PG_CTL[@]})) || return 0
  as_postgres "${PG_CTL[@]}" -m fast -w stop >/dev/null || true
  PG_CTL=()
}

# The certificate whose key encrypts the shared sign-in key ring (Auth:DataProtectionCertificate): every node must
# hold the same one. Made once and kept beside the demo's data, as a city keeps it in /etc/servicehall.
make_keyring_certificate() {
  [[ -f "$CLUSTER/keyring.crt" && -f "$CLUSTER/keyring.key" ]] && return
  log "making the key-ring certificate $CLUSTER/keyring.crt"
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ServiceHall demo key ring" \
    -keyout "$CLUSTER/keyring.key" -out "$CLUSTER/keyring.crt" 2>/dev/null)
}

# node_args N: the settings of Console node N (1 or 2); every node shares the database, Redis, the key ring, the clip
# folder and the signing keys (one machine here; shared mounts in a real installation), and keeps its own data folder.
node_args() {
  echo "--Storage:DataDirectory=$CLUSTER/node$1"
  echo "--Storage:ClipDirectory=$CLUSTER/clips"
  echo "--Storage:SigningDirectory=$CLUSTER/signing"
  echo "--Storage:Provider=postgres"
  echo "--Storage:ConnectionString=$PG_CONNECTION"
  echo "--Auth:DataProtectionCertificate=$CLUSTER/keyring.crt"
  echo "--Auth:DataProtectionCertificateKey=$CLUSTER/keyring.key"
}

# start_cluster CONSOLE_DLL SITE_KEY_FILE: everything up to a proxy that answers /health/ready through both nodes.
start_cluster() {
  local console="$1" key_file="$2" args n port started=$SECONDS
  mkdir -p "$CLUSTER/node1" "$CLUSTER/node2" "$CLUSTER/redis"
  start_postgres
  make_keyring_certificate
  mapfile -t args < <(node_args 1)
  dotnet "$console" sites add demo-hall "顺庆区演示便民服务中心" "顺庆区" --key-file "$key_file" "${args[@]}" >/dev/null

  # In a session of its own: a terminal's Ctrl-C reaches the whole process group, and Redis would stop at once and
  # leave the nodes waiting for it while they stop (the trap stops it after them).
  setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$CLUSTER/redis" \
    >"$CLUSTER/redis/redis.log" 2>&1 &
  BACKING+=($!)

  # One node after the other: the first creates the schema and the first admin (its password file is in its folder).
  for n in 1 2; do
    port="${NODE_PORTS[n - 1]}"
    mapfile -t args < <(node_args "$n")
    dotnet "$console" "${args[@]}" "--Cluster:Redis=127.0.0.1:$REDIS_PORT" "--Urls=https://127.0.0.1:$port" \
      "--Kestrel:Certificates:Default:Path=$CACHE/tls/server.crt" "--Kestrel:Certificates:Default:KeyPath=$CACHE/tls/server.key" &
    CHILDREN+=($!)
    NODE_PIDS+=($!)
    wait_for_http "https://127.0.0.1:$port/health/ready" 90 $!
  done

  SERVICEHALL_PROXY_BIND=127.0.0.1:5080 SERVICEHALL_NODE1="127.0.0.1:${NODE_PORTS[0]}" \
    SERVICEHALL_NODE2="127.0.0.1:${NODE_PORTS[1]}" SERVICEHALL_CA_FILE="$CACHE/tls/ca.crt" \
    haproxy -db -f "$ROOT/deploy/haproxy/servicehall.cfg" >"$CLUSTER/haproxy.log" 2>&1 &
  CHILDREN+=($!)
  wait_for_http https://127.0.0.1:5080/health/ready 30 $!
  log "PostgreSQL, Redis, two nodes and the proxy ready in $((SECONDS - started)) s"
}

cluster_message() {
  cat >&2 <<MSG
  Two Console nodes behind HAProxy (docs/cluster.md):
    Proxy:    https://127.0.0.1:5080  (what the Recorder and your browser use; log $CLUSTER/haproxy.log)
    Node 1:   https://127.0.0.1:${NODE_PORTS[0]}  pid ${NODE_PIDS[0]}, files in $CLUSTER/node1
    Node 2:   https://127.0.0.1:${NODE_PORTS[1]}  pid ${NODE_PIDS[1]}, files in $CLUSTER/node2
    PostgreSQL 127.0.0.1:$PG_PORT (database servicehall), Redis 127.0.0.1:$REDIS_PORT
    Failover: kill ${NODE_PIDS[0]} (or ${NODE_PIDS[1]}): the proxy takes the node out within 2 s and the Recorder
              reconnects through it to the other node; the demo keeps running.
MSG
}
