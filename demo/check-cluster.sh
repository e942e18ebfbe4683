#!/usr/bin/env bash
# Runs `./hall.sh demo --nodes 2` and checks it end to end, printing what it measures (docs/cluster.md, the two-node
# demo): every /health/ready answers 200, the Recorder connects through the proxy, its node is killed (SIGKILL) and
# the Recorder reconnects through the proxy to the other, an event is stored in PostgreSQL after the kill, Ctrl-C
# (SIGINT to the process group) stops everything and leaves no process or listening port of the demo. Exit 0 when
# all holds. Usage: demo/check-cluster.sh [LOG_FILE]; takes 2 to 5 minutes (the build, then the clip's next event).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG="${1:-$(mktemp /tmp/servicehall-demo-XXXXXX.log)}"
CA=.cache/tls/ca.crt
PSQL=(/usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 15432 -U servicehall -d servicehall -tA)
now() { date +%s.%N; }
since() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
# until_true SECONDS WHAT COMMAND...: polls every 0.05 s.
until_true() {
  local seconds="$1" what="$2" start; start=$(now); shift 2
  until "$@"; do
    (($(echo "$(now) - $start > $seconds" | bc))) && fail "$what within $seconds s"
    sleep 0.05
  done
}
ready() { curl -fsS --cacert "$CA" -o /dev/null "https://127.0.0.1:$1/health/ready"; }
connections() { grep -c "Connected to Console" "$LOG" || true; }

echo "$(date -u '+%F %T') UTC, $(nproc) cores, log $LOG"
started=$(now)
# In a session of its own, with SIGINT as a terminal's Ctrl-C delivers it (a background job would ignore it).
python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])' \
  ./hall.sh demo --nodes 2 >"$LOG" 2>&1 &
demo=$!
trap 'kill -INT -- -$demo 2>/dev/null || true' EXIT

until_true 900 "the demo to start" grep -q "Press Ctrl-C" "$LOG"
echo "demo running after $(since "$started") s: $(grep -o 'setup done in [0-9]* s' "$LOG"), $(grep -o 'proxy ready in [0-9]* s' "$LOG")"
until_true 60 "the Recorder to connect" grep -q "Connected to Console" "$LOG"
echo "Recorder connected through the proxy after $(since "$started") s"
for port in 5080 5081 5082; do ready "$port" || fail "/health/ready on $port"; done
echo "/health/ready 200 on the proxy (5080) and both nodes (5081, 5082)"

# The Recorder's node: the one holding a connection that lasts (health checks come and go within a second).
sample() { ss -Htnp state established '( sport = :5081 or sport = :5082 )' | awk '{print $3, $4, $5}' | sort; }
first="$(sample)"; sleep 1.5
node="$(comm -12 <(echo "$first") <(sample) | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)"
[[ -n "$node" ]] || fail "no lasting connection to a node"
before=$(connections)
killed=$(now)
kill -KILL "$node"
echo "killed the Recorder's node (pid $node) at $(date -u +%T)"
reconnected() { [[ "$(connections)" -gt "$before" ]]; }
until_true 30 "the Recorder to reconnect" reconnected
echo "Recorder connected again through the proxy $(since "$killed") s after the kill"
until_true 10 "HAProxy to mark the node down" grep -q "is DOWN" "$ROOT/data/cluster/haproxy.log"
echo "HAProxy marked the node down $(since "$killed") s after the kill"
ready 5080 || fail "/health/ready through the proxy after the kill"

ticks=$(echo "$killed * 10000000 + 621355968000000000" | bc | cut -d. -f1)
stored_after() { [[ "$("${PSQL[@]}" -c "SELECT count(*) FROM events WHERE received_at_ticks > $ticks")" -gt 0 ]]; }
until_true 200 "an event stored after the kill" stored_after
echo "first event stored after the kill: $("${PSQL[@]}" -c "SELECT type FROM events WHERE received_at_ticks > $ticks ORDER BY sequence LIMIT 1"), $(since "$killed") s after it"

trap - EXIT
stopping=$(now)
# To the whole process group, as a terminal's Ctrl-C.
kill -INT -- "-$demo"
until_true 60 "the demo to stop" eval '! kill -0 $demo 2>/dev/null'
echo "stopped $(since "$stopping") s after SIGINT"
left="$(ps -eo stat=,cmd= | grep -v '^Z' | grep -E "$ROOT|redis-server 127.0.0.1:16379|servicehall-demo-postgres" | grep -v -E "grep|check-cluster" || true)"
[[ -z "$left" ]] || fail "left running: $left"
ss -Hltn | grep -qE ':(5080|5081|5082|8554|15432|16379) ' && fail "a demo port is still listening"
echo "nothing of the demo left running or listening"
