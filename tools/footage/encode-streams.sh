#!/usr/bin/env bash
# Pre-encodes the camera streams of the box benchmark and the camera tests from real footage, reproducibly:
#   encode-streams.sh VTEST.avi OUT_DIR SECONDS
#
# Source: vtest.avi, OpenCV's sample video of people walking in a hall (Debian opencv-doc; BSD-3-Clause /
# Apache-2.0), 768x576 at 10 fps. It is UPSCALED (and cropped to 16:9) to the sizes real hall cameras send, and its
# frames are repeated to 25 fps: the bitrate, GOP and codec are a real camera's, the detail is not.
#
# Files (tools/rtsp-camera.py serves them with "file:PATH": packets re-sent, looped, never decoded or encoded):
#   a-main.mkv  1920x1080 H.264 4 Mbit/s 25 fps, a key frame every 50 frames (2 s)  profile A's main, profile C alone
#   b-main.mkv  2560x1440 H.265 4 Mbit/s 25 fps, GOP 50 (libx265)                    profile B's main
#   sub.mkv     640x360   H.264 512 kbit/s 25 fps, GOP 50                            the sub stream of A and B
# SECONDS is a whole number of GOPs (even), so the loop restarts on a key frame with the GOP unchanged.
# Prints each file's encode time on stderr.
set -euo pipefail

VTEST="${1:?vtest.avi}"
OUT="${2:?output dir}"
SECONDS_LONG="${3:?seconds}"
(( SECONDS_LONG % 2 == 0 )) || { echo "SECONDS must be even (whole 2 s GOPs)" >&2; exit 1; }
[[ -f "$VTEST" ]] || { echo "missing footage $VTEST" >&2; exit 1; }
mkdir -p "$OUT"

FPS=25
GOP=50
# The footage is 79.5 s long; longer files loop it in the filter, so the output is always SECONDS long.
input() { echo -stream_loop -1 -i "$VTEST"; }
# scale to the width, crop the 4:3 picture to 16:9 around its centre, repeat frames to 25 fps
frame() { echo "scale=$1:-2:flags=bicubic,crop=$1:$2,setsar=1,fps=$FPS,format=yuv420p"; }

encode() {
  local name="$1"; shift
  local started=$SECONDS
  ffmpeg -v error -y $(input) -t "$SECONDS_LONG" -an "$@" "$OUT/$name.tmp.mkv"
  mv "$OUT/$name.tmp.mkv" "$OUT/$name.mkv"
  echo "encoded $name.mkv (${SECONDS_LONG} s) in $((SECONDS - started)) s" >&2
}

H264_GOP=(-g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -bf 0)
encode a-main -vf "$(frame 1920 1080)" -c:v libx264 -preset veryfast -profile:v high "${H264_GOP[@]}" \
  -b:v 4M -maxrate 4M -bufsize 8M
encode sub -vf "$(frame 640 360)" -c:v libx264 -preset veryfast -profile:v main "${H264_GOP[@]}" \
  -b:v 512k -maxrate 512k -bufsize 1M
encode b-main -vf "$(frame 2560 1440)" -c:v libx265 -preset ultrafast \
  -x265-params "keyint=$GOP:min-keyint=$GOP:scenecut=0:bframes=0:repeat-headers=1:log-level=error:vbv-maxrate=4000:vbv-bufsize=8000" \
  -b:v 4M
