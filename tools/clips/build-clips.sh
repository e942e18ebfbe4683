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
# The broader set (issue 14) adds, all unpacked from Debian packages by ./hall.sh setup, never installed:
#   - more of the kphotoalbum demo photos (GPL-2+, as above): donna.jpg and donna_2.jpg (a black dog),
#     spiff_2.jpg (a rabbit in a box), pool.jpg (a pool hall, and a jacket on its table), cold_water.jpg (a woman
#     seen from behind), jesper_2.jpg (a man in a room), anne_helene.jpg again (her bag and denim jacket);
#   - scikit-image's sample data (Debian python3-skimage; the package is BSD-3-Clause, the photos are free of
#     copyright as its data module states): astronaut.png (Eileen Collins, NASA, public domain), chelsea.png (a cat,
#     CC0, Stefan van der Walt), camera.png (a cameraman in greyscale, CC0, Lav Varshney);
#   - OpenCV's sample data (Debian opencv-doc, as above): aloeL.jpg (an aloe in a pot, Middlebury stereo data),
#     tree.avi (shown on a monitor's screen).
# Still photos move a few pixels (a slow sine), as a person or an animal never holds perfectly still; objects do not.
# Each window may carry "tags" naming what is in its seat region (DESIGN.md): the harness reports false presence by them.
#
# Inactivity (issue 14 item 3, 睡岗): a window may carry "inactiveThreshold" (seconds; short, so clips stay short) and
# "inactive" (the intervals the clerk sits motionless: the harness expects ClerkInactive once the threshold passes in
# each, and none elsewhere). Motionless means frozen: a frame of movie.avi or a photo held still, with sensor noise
# and compression on top but no drift. build-clips.sh FOOTAGE OUT inactivity builds these clips alone.
#
# headcount/two-clerks: a seat for two (required headcount 2), not scored by the default harness run (its labels
# mean "both present"): the clerk's video in a left booth and the seated woman of anne_helene.jpg in a right booth.
set -euo pipefail

FOOTAGE="${1:?footage dir}"
OUT="${2:?output dir}"
VTEST="$FOOTAGE/vtest.avi"
MAN="$FOOTAGE/kphotoalbum/movie.avi"
CITIZEN="$FOOTAGE/kphotoalbum/anne_helene.jpg"
KPA="$FOOTAGE/kphotoalbum"
SKI="$FOOTAGE/skimage"
OCV="$FOOTAGE/opencv"
for f in "$VTEST" "$MAN" "$CITIZEN" "$KPA"/{donna,donna_2,spiff_2,pool,cold_water,jesper_2}.jpg "$SKI"/{astronaut,chelsea,camera}.png "$OCV"/{aloeL.jpg,tree.avi}; do [[ -f "$f" ]] || { echo "missing footage $f" >&2; exit 1; }; done
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

# tags_json TAGS: "" -> nothing, "a b" -> , "tags": ["a", "b"]
tags_json() {
  local json=""
  for t in $1; do json+="${json:+, }\"$t\""; done
  [[ -n "$json" ]] && echo ", \"tags\": [$json]"
  return 0
}

# inactive_json: with INACTIVE_THRESHOLD set, its threshold and the INACTIVE intervals ("" = none expected)
inactive_json() {
  # shellcheck disable=SC2086 # the intervals are words
  [[ -n "${INACTIVE_THRESHOLD:-}" ]] && echo ", \"inactiveThreshold\": $INACTIVE_THRESHOLD, \"inactive\": $(present_json ${INACTIVE:-})"
  return 0
}

# window ID SEAT "INTERVALS" "TAGS": one window of a labels file
window() {
  # shellcheck disable=SC2086 # the intervals are words
  echo "{ \"id\": \"$1\", \"seat\": $2, \"present\": $(present_json $3)$(tags_json "$4")$(inactive_json) }"
}

# labels NAME WINDOW...: OUT/NAME.labels.json for the video NAME.mp4 beside it
labels() {
  local name="$1" windows="" w; shift
  for w in "$@"; do windows+="${windows:+,$'\n'}    $w"; done
  printf '{\n  "video": "%s.mp4",\n  "windows": [\n%s\n  ]\n}\n' "$(basename "$name")" "$windows" >"$OUT/$name.labels.json"
  echo "$name"
}

# render FFMPEG_ARGS...: ffmpeg, except that each still input ("-loop 1 -framerate $FPS -i FILE") is decoded once and
# repeated by the loop filter: the image demuxer's -loop decodes the file again for every frame, which made stills the
# largest cost of the whole set (a 768x576 PNG: 14 of a clip's 29 CPU-seconds). The frames are the same.
render() {
  local args=() stills=() input=0 graph_at=-1
  while (($#)); do
    if [[ "$1" == -loop && "${2:-}" == 1 && "${3:-}" == -framerate && "${5:-}" == -i ]]; then
      args+=(-i "$6"); stills+=("$input"); input=$((input + 1)); shift 6; continue
    fi
    [[ "$1" == -i ]] && input=$((input + 1))
    [[ "$1" == -filter_complex ]] && graph_at=$((${#args[@]} + 1))
    args+=("$1"); shift
  done
  if ((graph_at >= 0)); then
    local graph="${args[$graph_at]}" prefix="" k
    for k in "${stills[@]}"; do
      [[ "$graph" == *"[$k:v]"* ]] || continue
      prefix+="[$k:v]loop=loop=-1:size=1,setpts=N/$FPS/TB[still$k];"
      graph="${graph//"[$k:v]"/"[still$k]"}"
    done
    # The prefix itself names [k:v] once each, so it is added after the substitution.
    args[$graph_at]="$prefix$graph"
  fi
  ffmpeg "${args[@]}"
}

# clip NAME HALL_MODE EXTRA_FILTER ENCODE_OPTS PRESENT...
#   EXTRA_FILTER maps [scene] to [out]; it may use [2:v] (the citizen photo), [3:v] (the clerk video again) and
#   [4:v] (SUBJECT, ffmpeg input options and file, e.g. "-loop 1 -framerate 10 -i dog.jpg"; the citizen photo by default).
#   The clerk's video fills the booth during CLERK (intervals, default: the PRESENT ones); TAGS label the window.
clip() {
  local name="$1" hall="$2" extra="$3" encode="$4"; shift 4
  local video="$OUT/$name.mp4"
  local hallin=(-loop 1 -framerate $FPS -i "$OUT/.hall.png")
  local hallfilter="$HALL_STILL"
  if [[ "$hall" == live ]]; then hallin=(-stream_loop -1 -i "$VTEST"); hallfilter="$HALL_LIVE"; fi
  local on; on="$(enable_expr ${CLERK-"$@"})"
  local subject; read -r -a subject <<<"${SUBJECT:-"-loop 1 -framerate $FPS -i $CITIZEN"}"
  render -v error -y "${hallin[@]}" -stream_loop -1 -i "$MAN" -loop 1 -framerate $FPS -i "$CITIZEN" -stream_loop -1 -i "$MAN" "${subject[@]}" -filter_complex \
    "$hallfilter;$BOOTH;[hall][empty]overlay=200:120[booth];[booth][clerk]overlay=200:120:enable='$on'[scene];$extra" \
    -map "[out]" -t $LENGTH -an $encode -pix_fmt yuv420p "$video"
  labels "$name" "$(window w01 "$SEAT" "$*" "${TAGS:-}")"
}

# The inactivity clips (see the header): the seat held still for longer than a 60 s threshold, or moving a little.
inactivity_clips() {
  # One frame of the clerk's video (his head turned a little down), as a still for the booth.
  ffmpeg -v error -y -i "$MAN" -vf "select='eq(n,30)',scale=240:180,setsar=1" -frames:v 1 "$OUT/.clerk.png"
  local sunk="[4:v]scale=240:180,setsar=1[s];[scene][s]overlay=200:138:enable='between(t,20,120)'"
  local noise="noise=alls=8:allf=t"
  local jesper="[4:v]crop=420:532:250:0,scale=140:178,setsar=1[s]"
  local frozen="x='256+if(lt(t,15),3*sin(2*PI*t/7),0)':y='122+if(lt(t,15),2*sin(2*PI*t/5),0)'"
  # 30. The clerk moves, then slumps a little lower and stays frozen for 100 s (head down on the desk), then moves again.
  SUBJECT="$(still "$OUT/.clerk.png")" CLERK="0-20 120-150" TAGS="inactive" INACTIVE_THRESHOLD=60 INACTIVE="20-120" \
    clip head-down-still still "$sunk,$noise[out]" "$X264" 0-150
  # 31. The same in dim, noisy, heavily compressed video: noise and compression must not count as movement.
  SUBJECT="$(still "$OUT/.clerk.png")" CLERK="0-20 120-150" TAGS="inactive night" INACTIVE_THRESHOLD=60 INACTIVE="20-120" \
    clip head-down-noisy still "$sunk,eq=brightness=-0.15:contrast=0.7,noise=alls=20:allf=t[out]" "-c:v libx264 -preset veryfast -crf 32 -g $FPS" 0-150
  # 32. Another person (the man of jesper_2.jpg) moves a little for 15 s, then holds perfectly still to the end.
  SUBJECT="$(still "$KPA/jesper_2.jpg")" CLERK="" TAGS="inactive person" INACTIVE_THRESHOLD=60 INACTIVE="15-150" \
    clip head-down-photo still "$jesper;[scene][s]overlay=$frozen,$noise[out]" "-c:v libx264 -preset veryfast -crf 28 -g $FPS" 0-150
  # 33. Writing while looking down: the clerk's video, lower in the booth, moving as he does; never inactive.
  CLERK="" TAGS="writing" INACTIVE_THRESHOLD=60 INACTIVE="" \
    clip writing-clerk still "[3:v]fps=$FPS,scale=240:180,setsar=1[c];[scene][c]overlay=200:138,$noise[out]" "$X264" 0-150
  # 34. Writing: the man of jesper_2.jpg holds his head still while a hand (a skin-coloured patch, 22x14 px) moves
  #     a few pixels over the desk at the bottom of the seat, as a hand writing does (drawbox would not move: its
  #     position is evaluated once); never inactive.
  SUBJECT="$(still "$KPA/jesper_2.jpg")" CLERK="" TAGS="writing person" INACTIVE_THRESHOLD=60 INACTIVE="" \
    clip writing-hand still "$jesper;color=c=0xc89070:s=22x14:r=$FPS[hand];[scene][s]overlay=256:122[p];[p][hand]overlay=x='318+8*sin(2*PI*t/3)':y='272+3*sin(2*PI*t/4)',$noise[out]" "$X264" 0-150
  # 35. Reading a screen without moving much: the same man drifting 2 px over 40 s (and 1 px over 30 s); never inactive.
  SUBJECT="$(still "$KPA/jesper_2.jpg")" CLERK="" TAGS="reading person" INACTIVE_THRESHOLD=60 INACTIVE="" \
    clip reading-screen still "$jesper;[scene][s]overlay=x='256+2*sin(2*PI*t/40)':y='122+sin(2*PI*t/30)',$noise[out]" "$X264" 0-150
  rm -f "$OUT/.clerk.png"
}

ffmpeg -v error -y -ss 20 -i "$VTEST" -frames:v 1 "$OUT/.hall.png"
X264="-c:v libx264 -preset veryfast -crf 23 -g $FPS"
MOVE="x='X+3*sin(2*PI*t/7)':y='Y+2*sin(2*PI*t/5)'"
still() { echo "-loop 1 -framerate $FPS -i $1"; }
if [[ "${3:-}" == inactivity ]]; then
  inactivity_clips
  rm -f "$OUT/.hall.png"
  exit 0
fi

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

# The broader set (issue 14). MOVE (above) is a still's slow drift; still() reads a photo as a 10 fps video.
drift() { local m="${MOVE//X/$1}"; echo "${m//Y/$2}"; }

# Non-persons in the seat region after the clerk has left; none of them may be held as a clerk.
# 11. A black dog sits in the seat, looking around.
SUBJECT="$(still "$KPA/donna.jpg")" CLERK="0-30" TAGS="animal" clip animal-dog still \
  "[4:v]crop=200:220:280:150,scale=130:143,setsar=1[s];[scene][s]overlay=$(drift 262 150):enable='gte(t,45)'[out]" "$X264" 0-30
# 12. The same dog close up, its head in the seat.
SUBJECT="$(still "$KPA/donna_2.jpg")" CLERK="0-30 120-150" TAGS="animal" clip animal-dog-close still \
  "[4:v]crop=400:420:300:100,scale=140:147,setsar=1[s];[scene][s]overlay=$(drift 255 165):enable='between(t,40,110)'[out]" "$X264" 0-30 120-150
# 13. A cat's face fills the seat.
SUBJECT="$(still "$SKI/chelsea.png")" CLERK="0-40" TAGS="animal" clip animal-cat still \
  "[4:v]scale=150:100,setsar=1[s];[scene][s]overlay=$(drift 250 175):enable='gte(t,50)'[out]" "$X264" 0-40
# 14. A rabbit in a box on the chair.
SUBJECT="$(still "$KPA/spiff_2.jpg")" CLERK="0-30" TAGS="animal" clip animal-rabbit still \
  "[4:v]crop=260:240:210:110,scale=150:138,setsar=1[s];[scene][s]overlay=$(drift 252 150):enable='gte(t,40)'[out]" "$X264" 0-30
# 15. A dark jacket left on the chair (from the pool hall photo, the part without the player's hand).
SUBJECT="$(still "$KPA/pool.jpg")" CLERK="0-30" TAGS="coat" clip coat-jacket still \
  "[4:v]crop=105:90:195:330,scale=150:128,setsar=1[s];[scene][s]overlay=255:170:enable='gte(t,35)'[out]" "$X264" 0-30
# 16. A camera bag with a denim jacket on the chair.
SUBJECT="$(still "$CITIZEN")" CLERK="0-30" TAGS="bag" clip bag still \
  "[4:v]crop=150:150:250:420,scale=130:130,setsar=1[s];[scene][s]overlay=260:180:enable='gte(t,35)'[out]" "$X264" 0-30
# 17. A monitor on the counter playing a video hides the lower part of the seat; the clerk sits behind it.
SUBJECT="-stream_loop -1 -i $OCV/tree.avi" TAGS="monitor" clip monitor still \
  "[4:v]fps=$FPS,scale=116:76,setsar=1,pad=130:90:7:7:color=0x1a1a1a[s];[scene][s]overlay=262:232,drawbox=x=312:y=322:w=30:h=14:color=0x1a1a1a:t=fill[out]" "$X264" 0-50 100-150
# 18. A potted aloe stands at the seat, always, its leaves over the seat's lower right; the clerk sits beside it.
SUBJECT="$(still "$OCV/aloeL.jpg")" TAGS="plant" clip plant still \
  "[4:v]crop=1100:1110:0:0,scale=100:101,setsar=1[s];[scene][s]overlay=335:215[out]" "$X264" 0-40 90-150

# Other people and rooms.
# 19. Another person in the booth (Eileen Collins, seated in her flight suit).
SUBJECT="$(still "$SKI/astronaut.png")" CLERK="" TAGS="person" clip person-astronaut still \
  "[4:v]crop=360:400:60:0,scale=150:167,setsar=1[s];[scene][s]overlay=$(drift 250 128):enable='$(enable_expr 0-50 90-150)'[out]" "$X264" 0-50 90-150
# 20. A cameraman in greyscale, seen from the side.
SUBJECT="$(still "$SKI/camera.png")" CLERK="" TAGS="person" clip person-cameraman still \
  "[4:v]crop=300:340:100:20,scale=150:170,setsar=1,format=gray,format=yuv420p[s];[scene][s]overlay=$(drift 250 126):enable='$(enable_expr 20-70 110-150)'[out]" "$X264" 20-70 110-150
# 21. A man in front of a white wall.
SUBJECT="$(still "$KPA/jesper_2.jpg")" CLERK="" TAGS="person" clip person-jesper still \
  "[4:v]crop=420:532:250:0,scale=140:178,setsar=1[s];[scene][s]overlay=$(drift 256 122):enable='$(enable_expr 0-60 95-150)'[out]" "$X264" 0-60 95-150
# 22. A clerk seen from behind (a woman in a blue jacket, her back to the camera).
SUBJECT="$(still "$KPA/cold_water.jpg")" CLERK="" TAGS="behind" clip seen-from-behind still \
  "[4:v]crop=170:200:130:240,scale=150:176,setsar=1[s];[scene][s]overlay=$(drift 250 124):enable='$(enable_expr 0-50 90-150)'[out]" "$X264" 0-50 90-150
# 23. Greyscale night mode (an IR camera's picture: no colour, dim, flat, noisy), the clerk arriving dark on dark.
clip night-basic still "[scene]format=gray,eq=brightness=-0.18:contrast=0.55,noise=alls=16:allf=t,format=yuv420p[out]" "$X264" 20-70 110-150
# 24. Night mode with the other person.
SUBJECT="$(still "$SKI/astronaut.png")" CLERK="" TAGS="night person" clip night-astronaut still \
  "[4:v]crop=360:400:60:0,scale=150:167,setsar=1[s];[scene][s]overlay=$(drift 250 128):enable='$(enable_expr 0-50 90-150)',format=gray,eq=brightness=-0.18:contrast=0.55,noise=alls=16:allf=t,format=yuv420p[out]" "$X264" 0-50 90-150

# People-shaped hard cases.
# 25. The clerk leans back, head and shoulders out of the seat polygon, for 8-9 s three times: still at the post.
CLERK="" TAGS="leaning" clip leaning-back still \
  "[3:v]fps=$FPS,scale=240:180,setsar=1[c];[scene][c]overlay=x='if(between(t,30,38)+between(t,70,79)+between(t,110,118),130,200)':y='if(between(t,30,38)+between(t,70,79)+between(t,110,118),96,120)'[out]" "$X264" 0-150
# 26. A citizen stands at the counter in front of the empty seat, her back to the camera; the clerk comes later.
SUBJECT="$(still "$KPA/cold_water.jpg")" CLERK="100-150" TAGS="citizen" clip citizen-standing still \
  "[4:v]crop=170:200:130:240,scale=170:200,setsar=1[s];[scene][s]overlay=$(drift 345 170):enable='between(t,15,95)'[out]" "$X264" 100-150
# 27. In another room: the pool hall (players in the background), the person's seat at its right wall.
render -v error -y -loop 1 -framerate $FPS -i "$KPA/pool.jpg" -loop 1 -framerate $FPS -i "$SKI/astronaut.png" -filter_complex \
  "[0:v]scale=640:480,crop=640:360:0:60,setsar=1,noise=alls=6:allf=t[room];[1:v]crop=360:400:60:0,scale=130:145,setsar=1[s];[room][s]overlay=$(drift 480 150):enable='$(enable_expr 0-45 85-150)'[out]" \
  -map "[out]" -t $LENGTH -an $X264 -pix_fmt yuv420p "$OUT/other-room.mp4"
labels other-room "$(window w01 '[[0.76, 0.43], [0.95, 0.43], [0.95, 0.83], [0.76, 0.83]]' "0-45 85-150" "person room")"
# 28. A hall overview camera at 1080p: the booth is small, its seat about 5 % of the frame; people walk in the hall.
ffmpeg -v error -y -stream_loop -1 -i "$VTEST" -stream_loop -1 -i "$MAN" -filter_complex \
  "[0:v]scale=1920:1080,setsar=1,fps=$FPS[hall];$BOOTH;[empty]scale=480:360[e];[clerk]scale=480:360[c];[hall][e]overlay=900:500[b];[b][c]overlay=900:500:enable='$(enable_expr 0-60 100-150)'[out]" \
  -map "[out]" -t $LENGTH -an -c:v libx264 -preset veryfast -crf 26 -g $FPS -pix_fmt yuv420p "$OUT/overview-1080p.mp4"
labels overview-1080p "$(window w01 '[[0.527, 0.481], [0.674, 0.481], [0.674, 0.794], [0.527, 0.794]]' "0-60 100-150" "1080p small-seat")"
# 29. Two clerks at neighbouring seats, each its own window: the clerk on the left, the astronaut on the right.
render -v error -y -loop 1 -framerate $FPS -i "$OUT/.hall.png" -stream_loop -1 -i "$MAN" -loop 1 -framerate $FPS -i "$SKI/astronaut.png" -filter_complex \
  "$HALL_STILL;$BOOTH;[empty]split[el][er];[hall][el]overlay=60:120[l];[l][er]overlay=330:120[lr];[lr][clerk]overlay=60:120:enable='$(enable_expr 0-60 100-150)'[lc];[2:v]crop=360:400:60:0,scale=150:167,setsar=1[s];[lc][s]overlay=$(drift 380 128):enable='$(enable_expr 0-30 70-150)'[out]" \
  -map "[out]" -t $LENGTH -an $X264 -pix_fmt yuv420p "$OUT/neighbours.mp4"
labels neighbours "$(window w01 '[[0.18, 0.36], [0.40, 0.36], [0.40, 0.83], [0.18, 0.83]]' "0-60 100-150" "neighbour")" \
  "$(window w02 '[[0.60, 0.36], [0.82, 0.36], [0.82, 0.83], [0.60, 0.83]]' "0-30 70-150" "neighbour person")"

inactivity_clips

# 10. Two clerks share one seat: the clerk stays, the woman leaves from 50 s to 90 s.
mkdir -p "$OUT/headcount"
TWO_SEAT='[[0.21, 0.36], [0.82, 0.36], [0.82, 0.83], [0.21, 0.83]]'
render -v error -y -loop 1 -framerate $FPS -i "$OUT/.hall.png" -stream_loop -1 -i "$MAN" -loop 1 -framerate $FPS -i "$CITIZEN" -filter_complex \
  "$HALL_STILL;$BOOTH;[empty]split[emptyl][emptyr];[2:v]crop=320:480:40:100,scale=120:180,setsar=1[woman];[emptyr][woman]overlay=66:0:enable='$(enable_expr 0-50 90-150)'[right];[hall][emptyl]overlay=80:120[l];[l][clerk]overlay=80:120[lc];[lc][right]overlay=340:120[out]" \
  -map "[out]" -t $LENGTH -an $X264 -pix_fmt yuv420p "$OUT/headcount/two-clerks.mp4"
labels headcount/two-clerks "$(window w01 "$TWO_SEAT" "0-50 90-150" "")"

rm -f "$OUT/.hall.png"
