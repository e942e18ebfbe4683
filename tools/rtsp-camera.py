#!/usr/bin/python3
"""A local RTSP camera for the demo, tests and benchmarks (GStreamer's RTSP server, 127.0.0.1 only).

Each --mount serves one stream. The test and frames kinds encode H.264 live, with a key frame every 2 s unless
",gop=FRAMES" follows the rate:
  /name=test:WIDTHxHEIGHT@FPS      a moving test pattern
  /name=frames:DIR@FPS             JPEG frames DIR/%05d.jpg, looped forever (real footage prepared by setup)
  /name=test:640x360@10,gop=10     the test pattern with a key frame every second
  /name=clock:WIDTHxHEIGHT@FPS     each frame shows the wall-clock time it was made (its capture time): 64 black or
                                   white blocks, 8 rows of 8, most significant bit first, white = 1, of the Unix time
                                   in milliseconds; big enough to survive the encoder, so a test can tell when the
                                   frame it analyses was taken (tests/ServiceHall.Recorder.Tests/Capture/CaptureTimeTests.cs)
The file kind encodes nothing, so a benchmark measures the cameras' consumers and not this server:
  /name=file:PATH                  a pre-encoded H.264 or H.265 file (e.g. Matroska from tools/footage/encode-streams.sh):
                                   its packets are demuxed, parsed and payloaded (rtph264pay / rtph265pay) as they are,
                                   never decoded, at the file's own rate; at its end it starts again from the top,
                                   forever, with timestamps that keep running (each packet is stamped when sent), so a
                                   client sees one endless stream. The file should start with a key frame and have no
                                   B-frames (pts = dts); its codec, size and GOP are what the client sees.
Every mount is shared: one source (encoder or file reader) per mount however many clients watch, like a real camera.
Prints "ready rtsp://127.0.0.1:PORT" once it listens. Stops on SIGTERM or SIGINT.
"""
import argparse
import json
import signal
import subprocess
import sys
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ENCODE = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bitrate={kbps} ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"


def video_codec(path: str) -> str:
    """The file's video codec as ffprobe names it (h264 or hevc)."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name",
                            "-of", "json", path], check=True, capture_output=True, text=True)
    streams = json.loads(probe.stdout).get("streams") or []
    codec = streams[0]["codec_name"] if streams else None
    if codec not in ("h264", "hevc"):
        raise SystemExit(f"{path}: video codec {codec}, only h264 and hevc files can be served")
    return codec


class FileFeeder:
    """Reads one file's packets at their own rate (appsink sync) and hands them to the mount's appsrc, looping."""

    def __init__(self, path: str, caps: str, appsrc):
        self._appsrc = appsrc
        parser = "h264parse" if caps.startswith("video/x-h264") else "h265parse"
        self._pipeline = Gst.parse_launch(
            f'filesrc location="{path}" ! parsebin ! {parser} ! {caps} ! appsink name=sink sync=true emit-signals=true')
        self._pipeline.get_by_name("sink").connect("new-sample", self._on_sample)
        bus = self._pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self._on_message)
        self._pipeline.set_state(Gst.State.PLAYING)

    def _on_sample(self, sink):
        buffer = sink.emit("pull-sample").get_buffer().copy()
        # The appsrc stamps it with its own running time when it sends it (do-timestamp): continuous across loops.
        buffer.pts = buffer.dts = Gst.CLOCK_TIME_NONE
        self._appsrc.emit("push-buffer", buffer)
        return Gst.FlowReturn.OK

    def _on_message(self, _bus, message):
        if message.type == Gst.MessageType.EOS:
            self._pipeline.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0)
        elif message.type == Gst.MessageType.ERROR:
            error, _ = message.parse_error()
            print(f"file source error: {error.message}", file=sys.stderr, flush=True)

    def stop(self):
        self._pipeline.get_bus().remove_signal_watch()
        self._pipeline.set_state(Gst.State.NULL)


def file_caps(codec: str) -> str:
    name = "h264" if codec == "h264" else "h265"
    return f"video/x-{name},stream-format=byte-stream,alignment=au"


def file_pipeline(path: str) -> str:
    codec = video_codec(path)
    name = "h264" if codec == "h264" else "h265"
    return (f"( appsrc name=src is-live=true format=time do-timestamp=true max-bytes=8000000 caps={file_caps(codec)} "
            f"! {name}parse config-interval=-1 ! rtp{name}pay name=pay0 pt=96 config-interval=-1 )")


def serve_file(factory, path: str):
    """Starts a feeder when a client first needs data from the mount's (shared) media, stops it with the media."""
    caps = file_caps(video_codec(path))

    def configure(_factory, media):
        appsrc = media.get_element().get_by_name_recurse_up("src")
        feeder = []

        def need_data(_src, _length):
            if not feeder:
                feeder.append(FileFeeder(path, caps, appsrc))

        appsrc.connect("need-data", need_data)
        media.connect("unprepared", lambda _media: feeder and feeder.pop().stop())

    factory.connect("media-configure", configure)


def pipeline(spec: str) -> str:
    kind, _, rest = spec.partition(":")
    if kind == "file":
        return file_pipeline(rest)
    target, _, rate = rest.rpartition("@")
    fps_text, _, gop_text = rate.partition(",gop=")
    fps = int(fps_text)
    gop = int(gop_text) if gop_text else fps * 2
    if kind == "test":
        width, height = (int(v) for v in target.split("x"))
        source = f"videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate={fps}/1"
        kbps = max(200, width * height // 1000)
    elif kind == "clock":
        width, height = (int(v) for v in target.split("x"))
        source = (f"appsrc name=clock is-live=true format=time do-timestamp=true "
                  f"caps=video/x-raw,format=I420,width={width},height={height},framerate={fps}/1")
        kbps = max(200, width * height // 1000)
    elif kind == "frames":
        source = (f"multifilesrc location={target}/%05d.jpg loop=true caps=image/jpeg,framerate={fps}/1 "
                  "! jpegdec ! videoconvert ! video/x-raw,format=I420")
        kbps = 800
    else:
        raise SystemExit(f"unknown source kind '{kind}' in '{spec}'")
    return f"( {source} ! {ENCODE.format(gop=gop, kbps=kbps)} )"


def clock_frame(width: int, height: int, millis: int) -> bytes:
    """One I420 frame whose luma shows millis as 8x8 blocks (see the module doc); chroma is neutral."""
    bits = [(millis >> (63 - i)) & 1 for i in range(64)]
    luma = bytearray()
    for y in range(height):
        row = min(y * 8 // height, 7)
        luma += b"".join((b"\xeb" if bits[row * 8 + col] else b"\x10") * ((col + 1) * width // 8 - col * width // 8)
                         for col in range(8))
    return bytes(luma) + b"\x80" * (width // 2 * (height // 2) * 2)


def serve_clock(factory, width: int, height: int, fps: int) -> None:
    """Pushes one frame per 1/fps to the mount's appsrc, each showing the wall-clock time it is made."""
    period = 1.0 / fps

    def configure(_factory, media):
        source = media.get_element().get_by_name_recurse_up("clock")
        state = {"next_at": None}

        def need_data(src, _length):
            # The source asks as soon as it has room: pace the frames like a sensor, then take the picture.
            now = time.time()
            deadline = state["next_at"] or now
            if deadline > now:
                time.sleep(deadline - now)
            state["next_at"] = max(deadline, now) + period
            src.emit("push-buffer", Gst.Buffer.new_wrapped(clock_frame(width, height, int(time.time() * 1000))))

        source.connect("need-data", need_data)

    factory.connect("media-configure", configure)


def require_credentials(server, user: str, password: str) -> None:
    """A camera with a password, as every real one has: a wrong one gets 401 Unauthorized."""
    auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)


def user_permissions():
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    return permissions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--mount", action="append", required=True, help="/name=kind:spec@fps")
    parser.add_argument("--user", help="with --password: every mount asks for these credentials (RTSP basic auth)")
    parser.add_argument("--password")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    if args.user:
        require_credentials(server, args.user, args.password or "")
    mounts = server.get_mount_points()
    for mount in args.mount:
        path, _, spec = mount.partition("=")
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(pipeline(spec))
        if spec.startswith("file:"):
            serve_file(factory, spec.partition(":")[2])
        if spec.startswith("clock:"):
            size, _, rate = spec.partition(":")[2].rpartition("@")
            width, height = (int(v) for v in size.split("x"))
            serve_clock(factory, width, height, int(rate.partition(",")[0]))
        if args.user:
            factory.set_permissions(user_permissions())
        # One encoder per mount however many clients watch, like a real camera.
        factory.set_shared(True)
        mounts.add_factory(path, factory)

    if server.attach(None) == 0:
        print(f"cannot listen on 127.0.0.1:{args.port}", file=sys.stderr)
        return 1

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"ready rtsp://127.0.0.1:{args.port}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
