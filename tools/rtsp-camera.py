#!/usr/bin/python3
"""A local RTSP camera for the demo, tests and benchmarks (GStreamer's RTSP server, 127.0.0.1 only).

Each --mount serves one H.264 stream, with a key frame every 2 s unless ",gop=FRAMES" follows the rate:
  /name=test:WIDTHxHEIGHT@FPS      a moving test pattern
  /name=frames:DIR@FPS             JPEG frames DIR/%05d.jpg, looped forever (real footage prepared by setup)
  /name=test:640x360@10,gop=10     the test pattern with a key frame every second
Prints "ready rtsp://127.0.0.1:PORT" once it listens. Stops on SIGTERM or SIGINT.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

ENCODE = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bitrate={kbps} ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1"


def pipeline(spec: str) -> str:
    kind, _, rest = spec.partition(":")
    target, _, rate = rest.rpartition("@")
    fps_text, _, gop_text = rate.partition(",gop=")
    fps = int(fps_text)
    gop = int(gop_text) if gop_text else fps * 2
    if kind == "test":
        width, height = (int(v) for v in target.split("x"))
        source = f"videotestsrc is-live=true pattern=ball ! video/x-raw,width={width},height={height},framerate={fps}/1"
        kbps = max(200, width * height // 1000)
    elif kind == "frames":
        source = (f"multifilesrc location={target}/%05d.jpg loop=true caps=image/jpeg,framerate={fps}/1 "
                  "! jpegdec ! videoconvert ! video/x-raw,format=I420")
        kbps = 800
    else:
        raise SystemExit(f"unknown source kind '{kind}' in '{spec}'")
    return f"( {source} ! {ENCODE.format(gop=gop, kbps=kbps)} )"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--mount", action="append", required=True, help="/name=kind:spec@fps")
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for mount in args.mount:
        path, _, spec = mount.partition("=")
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch(pipeline(spec))
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
