#!/usr/bin/env bash
# ServiceHall's one entry point: setup | demo | test | bench NAME | eval LABELS...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$ROOT/.cache"
# What setup downloads and builds (models, footage, the clip set, camera files, certificates) is kept once per user,
# like NuGet's packages, and .cache in each clone links to it: a second clone reuses it instead of building it again.
# Every item is still checked each time (SHA-256 of downloads, a stamp of the script that built the rest) and rebuilt
# when it does not match. SERVICEHALL_CACHE moves it; a .cache folder already in the clone is used as it is.
SHARED_CACHE="${SERVICEHALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/servicehall}"
DATA="$ROOT/data"
CONFIG="${HALL_CONFIG:-Release}"

# Pinned downloads: npm package, file inside it, where it goes, its SHA-256.
MODEL_PACKAGE="@mediapipe/selfie_segmentation@0.1.1675465747"
MODEL_FILE="selfie_segmentation.tflite"
MODEL_SHA256="8d13b7fae74af625c641226813616a2117bd6bca19eb3b75574621fc08557f27"
# The second signal: a face detector and a pose model, both MediaPipe (Apache-2.0).
FACE_PACKAGE="@mediapipe/face_detection@0.4.1657300184"
FACE_FILE="face_detection_short_range.tflite"
FACE_SHA256="3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633"
POSE_PACKAGE="@mediapipe/pose@0.5.1675469404"
POSE_FILE="pose_landmark_lite.tflite"
POSE_SHA256="f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61"
SIGNALR_PACKAGE="@microsoft/signalr@10.0.11"
SIGNALR_FILE="dist/browser/signalr.min.js"
SIGNALR_SHA256="97e9b97e642a72e5a470917147a2bf79f86cad829a5c6786adb10614d248bb95"
HLS_PACKAGE="hls.js@1.7.4"
HLS_FILE="dist/hls.min.js"
HLS_SHA256="cfc70cc9e9fc63d071919e087670abc760c8fd1bc889b88588026e4d22193bbe"

DEBIAN_PACKAGES=(
  ffmpeg libgtk-3-0
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gir1.2-gst-rtsp-server-1.0 gir1.2-gstreamer-1.0 python3-gi
  chromium fonts-noto-cjk opencv-doc opencv-data nodejs npm curl openssl libnss3-tools
  systemd postgresql redis-server haproxy
)

log() { printf '\033[1m[hall]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[hall] %s\033[0m\n' "$*" >&2; exit 1; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

install_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    if [[ "$p" == nodejs || "$p" == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then return; fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [[ $EUID -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# fetch_npm_file PACKAGE FILE_IN_PACKAGE DEST SHA256: npm pack, extract one file, refuse a hash mismatch.
# A file already at DEST that is missing, truncated or altered fails the hash and is fetched again.
fetch_npm_file() {
  local package="$1" inner="$2" dest="$3" expected="$4"
  if [[ -f "$dest" && "$(sha256_of "$dest")" == "$expected" ]]; then return; fi
  log "fetching $inner from npm package $package"
  local work; work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$package" >/dev/null 2>&1) || { rm -rf "$work"; die "npm pack $package failed (fetching $inner)"; }
  tar -xzf "$work"/*.tgz -C "$work"
  [[ -f "$work/package/$inner" ]] || { rm -rf "$work"; die "npm package $package has no $inner"; }
  local got; got="$(sha256_of "$work/package/$inner")"
  if [[ "$got" != "$expected" ]]; then
    rm -rf "$work"
    die "refusing $package/$inner: SHA-256 $got, expected $expected"
  fi
  mkdir -p "$(dirname "$dest")"
  cp "$work/package/$inner" "$dest"
  rm -rf "$work"
}

prepare_demo_footage() {
  # Real people (OpenCV's sample vtest.avi, from Debian's opencv-doc, BSD/Apache licensed), as looped JPEG frames.
  local frames="$CACHE/footage/vtest"
  if [[ -f "$frames/00794.jpg" ]]; then return; fi
  log "extracting demo footage frames"
  mkdir -p "$frames"
  ffmpeg -v error -y -i /usr/share/doc/opencv-doc/examples/data/vtest.avi -start_number 0 -q:v 4 "$frames/%05d.jpg"
}

# fetch_deb_files PACKAGE DEST FILE...: apt-get download PACKAGE, unpack it (never installed), copy FILEs (paths inside
# the package) and its Debian copyright file into DEST. Skipped when every FILE is already there.
fetch_deb_files() {
  local package="$1" dest="$2"; shift 2
  local f missing=0
  for f in "$@"; do [[ -f "$dest/$(basename "$f")" ]] || missing=1; done
  ((missing)) || return 0
  log "fetching footage from Debian package $package (apt-get download, unpacked only)"
  local work; work="$(mktemp -d)"
  chmod 755 "$work" # apt's sandbox user must be able to write the .deb there
  (cd "$work" && apt-get download -qq "$package" >/dev/null) || { rm -rf "$work"; die "apt-get download $package failed"; }
  dpkg-deb -x "$work/${package}"_*.deb "$work/x"
  mkdir -p "$dest"
  for f in "$@"; do
    [[ -f "$work/x/$f" ]] || { rm -rf "$work"; die "Debian package $package has no $f"; }
    cp "$work/x/$f" "$dest/"
  done
  cp "$work/x/usr/share/doc/$package/copyright" "$dest/COPYRIGHT"
  rm -rf "$work"
}

prepare_occupancy_clips() {
  # People, animals and objects from kphotoalbum's demo data (GPL-2+) and scikit-image's sample data (public domain and
  # CC0 photos); licences in tools/clips/build-clips.sh.
  local demo=usr/share/kphotoalbum/demo skimage=usr/lib/python3/dist-packages/skimage/data
  fetch_deb_files kphotoalbum "$CACHE/footage/kphotoalbum" \
    $demo/movie.avi $demo/anne_helene.jpg $demo/donna.jpg $demo/donna_2.jpg $demo/spiff_2.jpg $demo/pool.jpg \
    $demo/cold_water.jpg $demo/jesper_2.jpg
  fetch_deb_files python3-skimage "$CACHE/footage/skimage" $skimage/astronaut.png $skimage/chelsea.png $skimage/camera.png
  ln -sf /usr/share/doc/opencv-doc/examples/data/vtest.avi "$CACHE/footage/vtest.avi"
  ln -sfn /usr/share/doc/opencv-doc/examples/data "$CACHE/footage/opencv"
  # Rebuilt only when the script changes: the stamp holds the script's hash.
  local script="$ROOT/tools/clips/build-clips.sh" clips="$CACHE/clips"
  local want; want="$(sha256_of "$script")"
  if [[ -f "$clips/.stamp" && "$(cat "$clips/.stamp")" == "$want" ]]; then return; fi
  log "building the labelled occupancy clips into $clips (a few minutes, once)"
  rm -rf "$clips"
  "$script" "$CACHE/footage" "$clips" >/dev/null
  echo "$want" >"$clips/.stamp"
}

# prepare_camera_streams bench|test: the box benchmark's camera files (long) or the camera tests' (short), pre-encoded
# from real footage by tools/footage/encode-streams.sh into $CACHE/streams/KIND, rebuilt only when the script changes.
# prepare_gop_clips SECONDS: the labelled clips re-encoded with a key frame every SECONDS (real cameras' factory
# GOPs are 2 s or longer; the set is built with 1 s), labels beside them, into .cache/clips-gopSECONDS, once.
prepare_gop_clips() {
  local gop="$1" out="$CACHE/clips-gop$1" want clip
  [[ "$gop" =~ ^[1-9][0-9]?$ ]] || die "--gop takes whole seconds (1-99), not '$gop'"
  want="$(cat "$CACHE/clips/.stamp") gop $gop"
  if [[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$want" ]]; then return; fi
  log "re-encoding the labelled clips with a ${gop} s GOP into $out (a few minutes, once)"
  rm -rf "$out" && mkdir -p "$out"
  for clip in "$CACHE"/clips/*.mp4; do
    # Key frames only where forced (no scene-cut or default-interval ones), the same quality as the set.
    ffmpeg -nostdin -v error -y -i "$clip" -an -c:v libx264 -preset veryfast -crf 20 -g 9999 -sc_threshold 0 \
      -force_key_frames "expr:gte(t,n_forced*$gop)" "$out/$(basename "$clip")"
    cp "${clip%.mp4}.labels.json" "$out/"
  done
  echo "$want" >"$out/.stamp"
}

prepare_camera_streams() {
  local kind="$1" seconds
  case "$kind" in bench) seconds=60 ;; test) seconds=10 ;; *) die "unknown stream set $kind" ;; esac
  local script="$ROOT/tools/footage/encode-streams.sh" out="$CACHE/streams/$kind"
  local want; want="$(sha256_of "$script") $seconds"
  if [[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$want" ]]; then return; fi
  log "encoding the $kind camera streams into $out (${seconds} s of footage each, once)"
  rm -rf "$out"
  "$script" /usr/share/doc/opencv-doc/examples/data/vtest.avi "$out" "$seconds"
  echo "$want" >"$out/.stamp"
}

link_cache() {
  [[ -e "$CACHE" || -L "$CACHE" ]] && return
  mkdir -p "$SHARED_CACHE"
  ln -s "$SHARED_CACHE" "$CACHE"
  log "cache: $CACHE -> $SHARED_CACHE"
}

cmd_setup() {
  local started=$SECONDS
  link_cache
  # One setup at a time on the shared cache (two clones, or a test run beside a demo).
  exec 9>"$CACHE/.setup.lock"
  flock 9
  install_debian_packages
  fetch_npm_file "$MODEL_PACKAGE" "$MODEL_FILE" "$CACHE/models/$MODEL_FILE" "$MODEL_SHA256"
  fetch_npm_file "$FACE_PACKAGE" "$FACE_FILE" "$CACHE/models/$FACE_FILE" "$FACE_SHA256"
  fetch_npm_file "$POSE_PACKAGE" "$POSE_FILE" "$CACHE/models/$POSE_FILE" "$POSE_SHA256"
  fetch_npm_file "$SIGNALR_PACKAGE" "$SIGNALR_FILE" "$ROOT/src/Console/wwwroot/lib/signalr.min.js" "$SIGNALR_SHA256"
  fetch_npm_file "$HLS_PACKAGE" "$HLS_FILE" "$ROOT/src/Console/wwwroot/lib/hls.min.js" "$HLS_SHA256"
  prepare_demo_footage
  prepare_occupancy_clips
  prepare_demo_counter
  # The installation CA and the loopback certificate the demo and the tests serve HTTPS with.
  "$ROOT/tools/tls/make-certs.sh" "$CACHE/tls"
  dotnet restore "$ROOT/ServiceHall.sln" --verbosity quiet
  flock -u 9
  log "setup done in $((SECONDS - started)) s"
}

CHILDREN=()
# Services the other children use (Redis), stopped after them so the Consoles do not spend their stop retrying it.
BACKING=()
NODE_PIDS=()
# shellcheck source=demo/cluster.sh
source "$ROOT/demo/cluster.sh"

stop_pids() {
  (($#)) || return 0
  log "stopping $# processes"
  kill -TERM "$@" 2>/dev/null || true
  wait "$@" 2>/dev/null || true
}

stop_children() {
  trap - INT TERM EXIT
  stop_pids "${CHILDREN[@]}"
  stop_pids "${BACKING[@]}"
  stop_postgres
}

# wait_for_http URL SECONDS [PID]: until URL answers 2xx; with PID, gives up as soon as that process has exited.
wait_for_http() {
  local url="$1" seconds="$2" pid="${3:-}"
  for _ in $(seq 1 "$((seconds * 5))"); do
    curl -fsS --cacert "$CACHE/tls/ca.crt" -o /dev/null "$url" 2>/dev/null && return 0
    [[ -z "$pid" ]] || kill -0 "$pid" 2>/dev/null || die "$url: its process ($pid) exited before answering"
    sleep 0.2
  done
  die "$url did not answer within $seconds s"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

prepare_demo_counter() {
  # The demo's counter camera loops the "basic" labelled clip: a clerk who leaves the seat from 40 s to 80 s.
  local frames="$CACHE/footage/counter" stamp="$CACHE/clips/.stamp"
  if [[ -f "$frames/.stamp" && "$(cat "$frames/.stamp")" == "$(cat "$stamp")" ]]; then return; fi
  log "extracting the demo counter camera's frames"
  rm -rf "$frames" && mkdir -p "$frames"
  ffmpeg -v error -y -i "$CACHE/clips/basic.mp4" -start_number 0 -q:v 4 "$frames/%05d.jpg"
  cp "$stamp" "$frames/.stamp"
}

# demo [--nodes 1|2]: one Console on its LiteDB file (the default), or two nodes on PostgreSQL and Redis behind
# HAProxy (demo/cluster.sh); either way a local RTSP camera server and the demo hall's Recorder.
cmd_demo() {
  local nodes=1
  while (($#)); do
    case "$1" in
      --nodes) nodes="${2:-}"; shift 2 || true ;;
      *) die "usage: ./hall.sh demo [--nodes 1|2]" ;;
    esac
  done
  [[ "$nodes" == 1 || "$nodes" == 2 ]] || die "usage: ./hall.sh demo [--nodes 1|2]"
  local ports=(5080 8554)
  ((nodes == 2)) && ports+=("${CLUSTER_PORTS[@]}")
  for port in "${ports[@]}"; do
    port_in_use "$port" && die "127.0.0.1:$port is already in use (another demo still running?); stop it first"
  done
  cmd_setup
  log "building ($CONFIG)"
  dotnet build "$ROOT/ServiceHall.sln" -c "$CONFIG" --no-restore --verbosity quiet -nologo
  local console="$ROOT/src/Console/bin/$CONFIG/net10.0/ServiceHall.Console.dll"
  local recorder="$ROOT/src/Recorder/bin/$CONFIG/net10.0/ServiceHall.Recorder.dll"
  local port=8554 password_file="$DATA/console/initial-admin-password.txt" recorder_data="$DATA/recorder"
  mkdir -p "$DATA/console" "$DATA/demo"

  trap stop_children INT TERM EXIT
  if ((nodes == 1)); then
    dotnet "$console" sites add demo-hall "顺庆区演示便民服务中心" "顺庆区" --key-file "$DATA/demo/site.key" \
      "--Storage:DataDirectory=$DATA/console" >/dev/null
  fi

  /usr/bin/python3 "$ROOT/tools/rtsp-camera.py" --port "$port" \
    --mount "/hall=frames:$CACHE/footage/vtest@10" --mount "/counter=frames:$CACHE/footage/counter@10,gop=10" &
  CHILDREN+=($!)

  if ((nodes == 1)); then
    dotnet "$console" "--Storage:DataDirectory=$DATA/console" "--Urls=https://127.0.0.1:5080" \
      "--Kestrel:Certificates:Default:Path=$CACHE/tls/server.crt" "--Kestrel:Certificates:Default:KeyPath=$CACHE/tls/server.key" &
    CHILDREN+=($!)
    wait_for_http https://127.0.0.1:5080/health 60 $!
  else
    start_cluster "$console" "$DATA/demo/site.key"
    password_file="$CLUSTER/node1/initial-admin-password.txt"
    # Its own outbox: events a one-node demo's Console acknowledged are not in PostgreSQL, and the other way round.
    recorder_data="$CLUSTER/recorder"
  fi

  Uplink__SiteKey="$(cat "$DATA/demo/site.key")" dotnet "$recorder" --settings "$ROOT/demo/recorder.demo.json" \
    "--Occupancy:ModelPath=$CACHE/models/$MODEL_FILE" "--Occupancy:FaceModelPath=$CACHE/models/$FACE_FILE" \
    "--Occupancy:PoseModelPath=$CACHE/models/$POSE_FILE" "--Uplink:CaCertificate=$CACHE/tls/ca.crt" \
    "--Site:DataDirectory=$recorder_data" "--Capture:Cameras:0:Url=rtsp://127.0.0.1:$port/counter" \
    "--Capture:Cameras:1:Url=rtsp://127.0.0.1:$port/hall" &
  CHILDREN+=($!)

  local password="(the password you set)"
  [[ -f "$password_file" ]] && password="$(cat "$password_file")"
  cat >&2 <<MSG

  ServiceHall is running.
    Console:  https://127.0.0.1:5080  (certificate from this installation's own CA, $CACHE/tls/ca.crt:
              import it into your browser's trusted authorities once, or accept the warning for this demo)
    Sign in:  user admin, password $password
              (first sign-in asks for a new password: 12+ characters, 3 of upper case, lower case, digits, symbols;
               afterwards delete $password_file)
    Demo hall: 顺庆区演示便民服务中心 (demo-hall): a window camera whose clerk leaves the seat for 40 s of every
               150 s loop (unstaffed after 25 s in the demo) and a hall overview, from GStreamer on 127.0.0.1:$port
MSG
  ((nodes == 2)) && cluster_message
  printf '  Press Ctrl-C to stop everything.\n\n' >&2
  wait_for_first_exit
  log "a process stopped; shutting the demo down"
}

# Returns when a child other than a Console node exits: a node may be killed to watch the failover (the proxy takes
# its connections to the other one), so the demo goes on without it.
wait_for_first_exit() {
  local live=("${CHILDREN[@]}" "${BACKING[@]}") gone
  while ((${#live[@]})); do
    gone=""
    wait -n -p gone "${live[@]}" || true
    [[ -n "${gone:-}" ]] || return 0
    [[ " ${NODE_PIDS[*]} " == *" $gone "* ]] || return 0
    log "Console node (pid $gone) stopped; the proxy sends its connections to the other node"
    local pid rest=()
    for pid in "${live[@]}"; do [[ "$pid" == "$gone" ]] || rest+=("$pid"); done
    live=("${rest[@]}")
  done
}

cmd_test() {
  cmd_setup
  prepare_camera_streams test
  local results; results="$(mktemp -d)"
  local status=0
  dotnet test "$ROOT/ServiceHall.sln" --no-restore --logger "trx" --results-directory "$results" "$@" || status=$?
  local passed=0 failed=0 skipped=0
  for trx in "$results"/*.trx; do
    [[ -f "$trx" ]] || continue
    local counters; counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    skipped=$((skipped + $(sed -E 's/.* notExecuted="([0-9]+)".*/\1/' <<<"$counters")))
  done
  rm -rf "$results"
  if ((status != 0 && failed == 0)); then failed=1; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  return "$status"
}

# run_eval MODE ARGS...: the accuracy harness / analysis benchmark (tools/Eval) over labelled clips.
run_eval() {
  dotnet build "$ROOT/tools/Eval/ServiceHall.Eval.csproj" -c "$CONFIG" --no-restore --verbosity quiet -nologo >&2
  dotnet "$ROOT/tools/Eval/bin/$CONFIG/net10.0/ServiceHall.Eval.dll" "$1" --model "$CACHE/models/$MODEL_FILE" \
    --face-model "$CACHE/models/$FACE_FILE" --pose-model "$CACHE/models/$POSE_FILE" "${@:2}"
}

cmd_eval() {
  local clips="$CACHE/clips"
  if [[ "${1:-}" == --gop ]]; then
    (($# >= 2)) || die "usage: ./hall.sh eval --gop SECONDS [LABELS.json...]"
    prepare_gop_clips "$2"
    clips="$CACHE/clips-gop$2"
    shift 2
  fi
  # Options alone (--set, --trace, ...): every clip of the set.
  [[ " $* " == *.labels.json\ * ]] || set -- "$@" "$clips"/*.labels.json
  run_eval eval "$@"
}

cmd_bench() {
  local name="${1:-}"
  case "$name" in
    recording)
      shift
      dotnet build "$ROOT/tools/Bench.Recording" -c Release --no-restore --verbosity quiet -nologo
      dotnet "$ROOT/tools/Bench.Recording/bin/Release/net10.0/Bench.Recording.dll" "$@"
      ;;
    box)
      # N cameras per profile (A, B, C of issue 13) from pre-encoded real footage; the last line is the summary.
      shift
      prepare_camera_streams bench
      dotnet build "$ROOT/tools/Bench.Box" -c Release --no-restore --verbosity quiet -nologo
      dotnet "$ROOT/tools/Bench.Box/bin/Release/net10.0/Bench.Box.dll" --streams "$CACHE/streams/bench" --models "$CACHE/models" "$@"
      ;;
    analysis) run_eval bench "$CACHE"/clips/*.labels.json ;;
    console)
      shift
      # 5,500 Recorder connections plus monitors need more descriptors than the default soft limit.
      ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 20000
      dotnet run --project "$ROOT/tools/Bench.Console" -c Release --no-restore -- --tls "$CACHE/tls" "$@" ;;
    failover)
      shift
      # Two Console node processes on PostgreSQL and Redis behind HAProxy, 2,000 Recorders, one node SIGKILLed
      # mid-burst (docs/cluster.md); the last line is failover_s=<x> lost=<n> duplicated=<n>.
      ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 20000
      dotnet build "$ROOT/tools/Bench.Failover" -c Release --no-restore --verbosity quiet -nologo
      dotnet "$ROOT/tools/Bench.Failover/bin/Release/net10.0/Bench.Failover.dll" --tls "$CACHE/tls" \
        --console "$ROOT/src/Console/bin/Release/net10.0/ServiceHall.Console.dll" "$@" ;;
    wall)
      # The 5,500-site wall in headless Chromium; the test prints its figures, the last line is the summary.
      dotnet test "$ROOT/tests/ServiceHall.EndToEnd.Tests" -c "$CONFIG" --no-restore --filter "FullyQualifiedName~WallScaleUiTests" \
        --logger "console;verbosity=detailed" | tee /dev/stderr | sed -n 's/^ *\(wall_sites=.*\)$/\1/p' | tail -1 ;;
    *) die "unknown benchmark '$name'; see README" ;;
  esac
}

# verify CASE.zip [KEYS.json]: checks a downloaded case package: every file against SHA256SUMS, the clip against its
# manifest, and the Console's signature over SHA256SUMS and case.json against its public keys: KEYS.json as saved from
# https://CONSOLE/api/signing-keys, or else the demo Console's own (data/console/signing/keys.json).
cmd_verify() {
  (($# == 1 || $# == 2)) || die "usage: ./hall.sh verify CASE.zip [KEYS.json]"
  local keys=("--Storage:DataDirectory=$DATA/console")
  (($# == 2)) && keys=(--keys "$2")
  dotnet build "$ROOT/src/Console/ServiceHall.Console.csproj" -c "$CONFIG" --no-restore --verbosity quiet -nologo >&2
  dotnet "$ROOT/src/Console/bin/$CONFIG/net10.0/ServiceHall.Console.dll" verify "$1" "${keys[@]}"
}

# audit verify [--Key=Value ...]: checks the audit log's hash chain of the demo's data folder (or the one given with
# --Storage:DataDirectory=DIR); run it with the Console stopped. Exit 1 names the first changed or removed entry.
cmd_audit() {
  [[ "${1:-}" == verify ]] || die "usage: ./hall.sh audit verify [--Storage:DataDirectory=DIR]"
  shift
  local data=("--Storage:DataDirectory=$DATA/console")
  [[ " $* " == *" --Storage:DataDirectory="* ]] && data=()
  dotnet build "$ROOT/src/Console/ServiceHall.Console.csproj" -c "$CONFIG" --no-restore --verbosity quiet -nologo >&2
  dotnet "$ROOT/src/Console/bin/$CONFIG/net10.0/ServiceHall.Console.dll" audit verify "${data[@]}" "$@"
}

# backup --out FILE | restore --from FILE [--force], with [--Storage:DataDirectory=DIR] (default: the demo's data
# folder): one zip of the Console's data with a manifest of SHA-256s (docs/operations.md). Run with the Console stopped.
cmd_backup() {
  local verb="$1"
  shift
  local data=("--Storage:DataDirectory=$DATA/console")
  [[ " $* " == *" --Storage:DataDirectory="* ]] && data=()
  dotnet build "$ROOT/src/Console/ServiceHall.Console.csproj" -c "$CONFIG" --no-restore --verbosity quiet -nologo >&2
  dotnet "$ROOT/src/Console/bin/$CONFIG/net10.0/ServiceHall.Console.dll" "$verb" "$@" "${data[@]}"
}

# publish: self-contained linux-x64 builds of the Console and the Recorder in dist/console and dist/recorder (no .NET
# needed on the target host; the Recorder still needs ffmpeg and the models, see docs/operations.md). Prints the time
# and size of each.
cmd_publish() {
  local project name start
  for project in Console Recorder; do
    name="$(tr '[:upper:]' '[:lower:]' <<<"$project")"
    rm -rf "$ROOT/dist/$name"
    start=$SECONDS
    dotnet publish "$ROOT/src/$project/ServiceHall.$project.csproj" -c Release -r linux-x64 --self-contained \
      -o "$ROOT/dist/$name" -nologo --verbosity quiet >&2
    log "dist/$name: $((SECONDS - start)) s, $(du -sh "$ROOT/dist/$name" | cut -f1), $(find "$ROOT/dist/$name" -type f | wc -l) files"
  done
}

main() {
  local command="${1:-}"
  shift || true
  case "$command" in
    setup) cmd_setup ;;
    demo) cmd_demo "$@" ;;
    test) cmd_test "$@" ;;
    bench) cmd_setup; cmd_bench "$@" ;;
    eval) cmd_setup; cmd_eval "$@" ;;
    verify) cmd_verify "$@" ;;
    audit) cmd_audit "$@" ;;
    backup | restore) cmd_backup "$command" "$@" ;;
    publish) cmd_publish ;;
    *) echo "usage: ./hall.sh setup | demo [--nodes 2] | test | bench NAME | eval [--gop S] [LABELS.json...] | verify CASE.zip [KEYS.json] | audit verify | backup --out FILE | restore --from FILE [--force] | publish" >&2; exit 64 ;;
  esac
}

main "$@"
