"""Benchmark: the whole HLS ladder in one ffmpeg process against one process per rendition.

Both sides make the same deliverables from the same source: the four renditions, the
poster, the seek-bar thumbnails (sprite and WebVTT track) and the master playlist.

(a) is `transcode()` itself: one decode, a scaling cascade, four encoders and the
    thumbnails in one ffmpeg, then its quick poster ffmpeg.
(b) runs one ffmpeg per rendition, one after another, each decoding the source and scaling
    from it, with the very same filters and libx264/AAC/HLS options and bitrates
    (`x264_args`, `aac_args`, `hls_args` from the media module; thread counts are left at
    ffmpeg's defaults, which suit a single encoder). Its thumbnails take one more pass over
    the source (`--baseline-thumbs separate`, the default: one job per output) or ride
    along with its 360p ffmpeg (`inline`, the cheapest a per-rendition pipeline can do);
    its poster is transcode()'s own poster command.

Sources (generated once, cached under var/bench/), both 60 s of 1080p30 with a tone:
`camera` (the default), like a phone's file: 20 Mb/s H.264 High with B-frames and sensor
noise; `synthetic`, the clean test card at about 7 Mb/s, far cheaper to decode than any
upload. Decoding is what (a) does once and (b) once per pass, so the source matters.

The machine may be busy: CPU seconds (user + system of the ffmpeg processes) are steadier
than wall time then. Each run does (a) and (b) back to back, alternating the order.

Run: .venv/bin/python bench/bench_transcode.py [--repeat N] [--source camera|synthetic]
     [--baseline-thumbs separate|inline]   (or `make bench`: one run, camera source)
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homestretch.library import media  # noqa: E402

SECONDS = 60
CACHE = ROOT / "var" / "bench"
# What a phone records: 1080p30 H.264 High profile with B-frames at about 20 Mb/s (phones
# use 15-25 Mb/s for 1080p30), a keyframe every second, stereo AAC.
CAMERA_KBPS = 20_000
SOURCES = {
    "camera": CACHE / f"camera-1080p30-{SECONDS}s-{CAMERA_KBPS // 1000}mbps.mp4",
    "synthetic": CACHE / f"source-1080p30-{SECONDS}s.mp4",
}


def make_source(kind: str, path: Path) -> None:
    """A 60 s 1080p30 source with a tone: `camera` (the default) or `synthetic`.

    synthetic: testsrc2 (flat moving shapes and a counter) at crf 20, about 7 Mb/s, which
      is far cheaper to decode than anything a camera makes.
    camera: the same test card with temporal sensor-like noise (`noise=alls=6:allf=t+u`),
      encoded like a phone: High profile, 3 B-frames, 20 Mb/s (24 Mb/s peak), a 1 s GOP.
      The noise is moderate: at crf 18 this picture needs about 16 Mb/s, so the 20 Mb/s
      are spent on picture, as a phone's are, not padded.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part.mp4")
    cmd = [media.ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    cmd += ["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={SECONDS}"]
    cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={SECONDS}"]
    if kind == "camera":
        kbps = CAMERA_KBPS
        cmd += ["-vf", "noise=alls=6:allf=t+u,format=yuv420p"]
        cmd += ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-bf", "3"]
        cmd += ["-b:v", f"{kbps}k", "-maxrate", f"{kbps * 6 // 5}k", "-bufsize", f"{kbps}k"]
        cmd += ["-g", "30", "-c:a", "aac", "-b:a", "160k", "-ac", "2"]
    else:
        cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
        cmd += ["-c:a", "aac", "-b:a", "128k"]
    cmd += ["-shortest", str(partial)]
    subprocess.run(cmd, check=True)
    partial.rename(path)


def per_rendition(source: Path, out_dir: Path, thumbs: str = "separate") -> None:
    """(b): the same deliverables as transcode(), one ffmpeg per rendition, one after another.

    Each rendition's ffmpeg decodes the source and scales from it, with transcode()'s
    filters and the very same libx264/AAC/HLS options (`x264_args`, `aac_args`,
    `hls_args`); only the thread counts are left at ffmpeg's defaults, which suit a single
    encoder. The seek-bar thumbnails come from one more pass over the source
    (thumbs="separate", what a pipeline of one job per output does) or ride along with the
    lowest rendition's ffmpeg (thumbs="inline", the cheapest a per-rendition pipeline can
    do); the poster is transcode()'s own poster command; the sprite, thumbs.vtt and the
    master playlist are written by transcode()'s own code.
    """
    info = media.probe(source)
    plan = media._plan(info)
    pre = media._source_filter(info)
    ffmpeg = [media.ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    tiles = out_dir / media._THUMBS_DIR
    tiles.mkdir(parents=True)
    thumbs_output = ["-map", "[thumbs]", "-q:v", "4", str(tiles / "%05d.jpg")]
    for index, rendition in enumerate(plan.renditions):
        target = out_dir / rendition.name
        target.mkdir()
        width, height = media._frame_size(rendition, info)
        graph = f"[0:v]{pre},scale={width}:{height}:flags=bicubic"
        with_thumbs = thumbs == "inline" and index == 0
        if with_thumbs:
            graph += f",split=2[v][t];[t]{media._thumbnail_filter(plan)}[thumbs]"
        else:
            graph += "[v]"
        cmd = [*ffmpeg, "-i", str(source), "-filter_complex", graph, "-map", "[v]"]
        cmd += media.x264_args(rendition, plan.fps)
        if info.has_audio:
            cmd += ["-map", "0:a:0", *media.aac_args(rendition)]
        cmd += media.hls_args(target, None)
        if with_thumbs:
            cmd += thumbs_output
        subprocess.run(cmd, check=True)
    if thumbs == "separate":
        graph = f"[0:v]{pre},{media._thumbnail_filter(plan)}[thumbs]"
        subprocess.run([*ffmpeg, "-i", str(source), "-filter_complex", graph, *thumbs_output],
                       check=True)  # fmt: skip
    subprocess.run(media._poster_command(plan, source, out_dir), check=True)
    media._write_thumbnails(plan, out_dir)
    media._write_master(plan, out_dir)


def children_cpu() -> float:
    """CPU seconds (user + system) of every ffmpeg this process has run and waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def size_mb(directory: Path, pattern: str = "*") -> float:
    return sum(f.stat().st_size for f in directory.rglob(pattern) if f.is_file()) / 1e6


def files(directory: Path) -> list[str]:
    return sorted(str(f.relative_to(directory)) for f in directory.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians shown")
    parser.add_argument(
        "--source",
        choices=sorted(SOURCES),
        default="camera",
        help="camera-like 20 Mb/s source (default) or the cheap test card",
    )
    parser.add_argument(
        "--baseline-thumbs",
        choices=("separate", "inline"),
        default="separate",
        help="(b)'s thumbnails: a pass of their own, or with its 360p ffmpeg",
    )
    parser.add_argument("--threads", type=int, help="threads per encoder in (a), to compare")
    args = parser.parse_args()  # fmt: skip
    if args.threads:
        media.ENCODER_THREADS = args.threads
    source = SOURCES[args.source]
    if not source.exists():
        print(f"Generating {source.relative_to(ROOT)} …", flush=True)
        make_source(args.source, source)
    info = media.probe(source)
    times: dict[str, list[float]] = {"a": [], "b": []}
    cpu: dict[str, list[float]] = {"a": [], "b": []}
    sizes: dict[str, float] = {}
    listing: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-transcode-") as tmp:
        for run in range(args.repeat):
            # Alternate the order, so a machine getting busier or quieter favours neither.
            for key in ("a", "b") if run % 2 == 0 else ("b", "a"):
                out = Path(tmp) / f"{key}{run}"
                started, cpu_before = time.perf_counter(), children_cpu()
                if key == "a":
                    media.transcode(source, out)
                else:
                    per_rendition(source, out, thumbs=args.baseline_thumbs)
                times[key].append(time.perf_counter() - started)
                cpu[key].append(children_cpu() - cpu_before)
                sizes[key] = size_mb(out, "*.m4s") + size_mb(out, "init.mp4")
                listing[key] = files(out)
                shutil.rmtree(out)
    a, b = statistics.median(times["a"]), statistics.median(times["b"])
    mbps = source.stat().st_size * 8 / info.duration / 1e6
    print(
        f"source ({args.source}): {info.width}x{info.height} {info.fps:g} fps, "
        f"{info.duration:g} s, {info.video_codec} {mbps:.1f} Mb/s; "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        f"ladder: {', '.join(r.name for r in media.ladder_for(info.height))}; libx264 "
        f"-preset {media.X264_PRESET}, 4 s GOP; (a) -threads {media.ENCODER_THREADS} per encoder"
    )
    same = "the same files" if listing["a"] == listing["b"] else "DIFFERENT files"
    print(
        f"both write {same}: renditions, poster, thumbnail sprite and track, master; "
        f"(b) makes its thumbnails {args.baseline_thumbs}"
    )
    print(f"command: {shlex.join([sys.executable, *sys.argv])}  ({args.repeat} run(s), median)")
    print()
    print(f"{'':34} {'wall s':>7} {'x realtime':>10} {'CPU s':>7} {'HLS MB':>7}")
    rows = [("(a) transcode(): one process", "a"), ("(b) one process per rendition", "b")]
    for label, key in rows:
        wall, used = statistics.median(times[key]), statistics.median(cpu[key])
        print(f"{label:34} {wall:7.1f} {info.duration / wall:10.2f} {used:7.1f} {sizes[key]:7.1f}")
    cpu_ratio = statistics.median(cpu["b"]) / statistics.median(cpu["a"])
    print(f"{'(b)/(a)':34} {b / a:7.2f} {'':10} {cpu_ratio:7.2f}")
    print("target (issue 3): (b)/(a) >= 1.5 in wall time")
    if args.repeat > 1:
        for key in ("a", "b"):
            runs = ", ".join(f"{t:.1f}/{c:.1f}" for t, c in zip(times[key], cpu[key], strict=True))
            print(f"all runs ({key}), wall/CPU s: {runs}")


if __name__ == "__main__":
    main()
