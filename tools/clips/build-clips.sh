#!/usr/bin/env bash
# Builds the labelled occupancy clip set from real footage, reproducibly: build-clips.sh FOOTAGE_DIR OUT_DIR
#
# Sources (fetched by ./hall.sh setup, never committed):
#   - vtest.avi: OpenCV's sample video of people walking in a hall (Debian opencv-doc; OpenCV's licence,
#     BSD-3-Clause / Apache-2.0), used as the hall behind the counter, live in the walk-past clip.
#   - movie.avi: a seated man in front of a bookshelf, 160x120 (Debian kphotoalbum demo data, GPL-2+,
#     (c) Jesper K. Pedersen et al.), used as the clerk in his booth.
#   - anne_helene.jpg: a photo of a seated woman (same kphotoalbum demo data, GPL-2+), used as a citizen.
#
# Ground truth is known by construction: the clerk's video is composited into the booth exactly during the
# "present" intervals, an empty booth (the same bookshelf, mirrored, without the man) otherwise. The booth sits at
# the same place in every clip; the seat polygon covers the clerk's head and torso.
#
# Every clip has a key frame each second (GOP = frame rate), as IP cameras for this use are configured, so the
# Recorder decodes key frames only (Capture:DecodeKeyFramesOnly=auto).
#
# headcount/two-clerks: a seat for two (required headcount 2), not scored by the default harness run (its labels
# mean "both present"): the clerk's video in a left booth and the seated woman of anne_helene.jpg in a right booth.
set -euo pipefail

FOOTAGE="${1:?footage dir}"
OUT="${2:?output dir}"
VTEST="$FOOTAGE/vtest.avi"
MAN="$FOOTAGE/kphotoalbum/movie.avi"
CITIZEN="$FOOTAGE/kphotoalbum/anne_helene.jpg"
for f in "$VTEST" "$MAN" "$CITIZEN"; do [[ -f "$f" ]] || { echo "missing footage $f" >&2; exit 1; }; done
mkdir -p "$OUT"

LENGTH=150
FPS=10
SEAT='[[0.40, 0.36], [0.62, 0.36], [0.62, 0.83], [0.40, 0.83]]'

# Filter pieces. Inputs: 0 = hall background, 1 = clerk video (looped), 2 = citizen photo, 3 = clerk video again.
HALL_STILL="[0:v]scale=640:360,setsar=1,fps=$FPS[hall]"
HALL_LIVE="[0:v]scale=640:360,setsar=1,fps=$FPS[hall]"
# The empty booth: the bookshelf strip left of the man, mirrored and repeated, with sensor noise.
BOOTH="[1:v]fps=$FPS,scale=240:180,setsar=1,split[clerk][shelfsrc];[shelfsrc]crop=72:180:0:0,split[s1][s2];[s2]hflip[s2f];[s1][s2f]hstack,split[h1][h2];[h1][h2]hstack,crop=240:180:0:0,noise=alls=6:allf=t[empty]"

# enable_expr INTERVALS...: "a-b c-d" -> between(t,a,b)+between(t,c,d)
enable_expr() {
  local expr=""
  for iv in "$@"; do expr+="${expr:++}between(t,${iv%-*},${iv#*-})"; done
  echo "${expr:-0}"
}

# present_json INTERVALS...: "a-b c-d" -> [[a, b], [c, d]]
present_json() {
  local json=""
  for iv in "$@"; do json+="${json:+, }[${iv%-*}, ${iv#*-}]"; done
  echo "[$json]"
}

# clip NAME HALL_MODE EXTRA_FILTER ENCODE_OPTS PRESENT...
#   EXTRA_FILTER maps [scene] to [out]; it may use [2:v] (the citizen photo) and [3:v] (the clerk video again).
clip() {
  local name="$1" hall="$2" extra="$3" encode="$4"; shift 4
  local video="$OUT/$name.mp4"
  local hallin=(-loop 1 -framerate $FPS -i "$OUT/.hall.png")
  local hallfilter="$HALL_STILL"
  if [[ "$hall" == live ]]; then hallin=(-stream_loop -1 -i "$VTEST"); hallfilter="$HALL_LIVE"; fi
  local on; on="$(enable_expr "$@")"
  ffmpeg -v error -y "${hallin[@]}" -stream_loop -1 -i "$MAN" -loop 1 -framerate $FPS -i "$CITIZEN" -stream_loop -1 -i "$MAN" -filter_complex \
    "$hallfilter;$BOOTH;[hall][empty]overlay=200:120[booth];[booth][clerk]overlay=200:120:enable='$on'[scene];$extra" \
    -map "[out]" -t $LENGTH -an $encode -pix_fmt yuv420p "$video"
  cat > "$OUT/$name.labels.json" <<JSON
{
  "video": "$name.mp4",
  "windows": [
    { "id": "w01", "seat": $SEAT, "present": $(present_json "$@") }
  ]
}
JSON
  echo "$name"
}

ffmpeg -v error -y -ss 20 -i "$VTEST" -frames:v 1 "$OUT/.hall.png"
X264="-c:v libx264 -preset veryfast -crf 23 -g $FPS"

# 1. Arrive, leave for 40 s, come back.
clip basic still "[scene]null[out]" "$X264" 0-40 80-150
# 2. A citizen stands at the counter in front of the empty seat, partly over it; the clerk comes later.
clip citizen-at-counter still "[2:v]scale=120:180,setsar=1[cit];[scene][cit]overlay=360:200:enable='between(t,20,95)'[out]" "$X264" 100-150
# 3. People walk past in the hall behind and around the booth (live vtest footage).
clip walk-past live "[scene]null[out]" "$X264" 0-60 100-150
# 4. The lights dim and come back while the clerk sits; then the clerk leaves.
clip lighting-change still "[scene]eq=brightness='if(between(t,40,80),-0.22,0)':eval=frame[out]" "$X264" 0-110
# 5. The clerk leaves a dark coat (his own shirt, cut from the video) on the chair.
clip coat-on-chair still "[3:v]fps=$FPS,crop=120:40:20:80,scale=180:60,setsar=1[coat];[scene][coat]overlay=255:240:enable='gte(t,30)'[out]" "$X264" 0-30
# 6. The clerk bends below the counter for a few seconds, three times: never an absence.
clip bend-down still "[scene]null[out]" "$X264" 0-40 46-80 84-120 127-150
# 7. A box covers the lower right of the seat while the clerk sits; later the clerk leaves.
clip partial-occlusion still "[scene]drawbox=x=330:y=200:w=100:h=110:color=0x6a6a70:t=fill:enable='between(t,20,150)'[out]" "$X264" 0-100
# 8. Low light with heavy sensor noise.
clip low-light-noise still "[scene]eq=brightness=-0.25:contrast=0.6,noise=alls=28:allf=t[out]" "-c:v libx264 -preset veryfast -crf 32 -g $FPS" 0-60 110-150
# 9. Heavy compression, as from a congested uplink or a cheap camera.
clip heavy-compression still "[scene]null[out]" "-c:v libx264 -preset veryfast -crf 45 -g $FPS" 0-50 100-150

# 10. Two clerks share one seat: the clerk stays, the woman leaves from 50 s to 90 s.
mkdir -p "$OUT/headcount"
TWO_SEAT='[[0.21, 0.36], [0.82, 0.36], [0.82, 0.83], [0.21, 0.83]]'
ffmpeg -v error -y -loop 1 -framerate $FPS -i "$OUT/.hall.png" -stream_loop -1 -i "$MAN" -loop 1 -framerate $FPS -i "$CITIZEN" -filter_complex \
  "$HALL_STILL;$BOOTH;[empty]split[emptyl][emptyr];[2:v]crop=320:480:40:100,scale=120:180,setsar=1[woman];[emptyr][woman]overlay=66:0:enable='$(enable_expr 0-50 90-150)'[right];[hall][emptyl]overlay=80:120[l];[l][clerk]overlay=80:120[lc];[lc][right]overlay=340:120[out]" \
  -map "[out]" -t $LENGTH -an $X264 -pix_fmt yuv420p "$OUT/headcount/two-clerks.mp4"
cat > "$OUT/headcount/two-clerks.labels.json" <<JSON
{
  "video": "two-clerks.mp4",
  "windows": [
    { "id": "w01", "seat": $TWO_SEAT, "present": $(present_json 0-50 90-150) }
  ]
}
JSON
echo headcount/two-clerks

rm -f "$OUT/.hall.png"
