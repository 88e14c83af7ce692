"""Benchmark: the whole HLS ladder in one ffmpeg process against one process per rendition.

Source: 60 s of 1080p30 test card with motion and a tone (generated once, cached under
var/bench/). (a) is `transcode()` itself: one decode, a scaling cascade, four encoders, plus
the thumbnails and poster it always makes. (b) runs one ffmpeg per rendition, one after
another, each decoding the source and scaling from it, with the very same libx264/AAC
options and bitrates (`x264_args`, `aac_args`, `hls_args` from the media module); only
the thread count is left at ffmpeg's default, which is best for a single encoder.

Run: .venv/bin/python bench/bench_transcode.py [--repeat N]   (or `make bench`)
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
SOURCE = CACHE / f"source-1080p30-{SECONDS}s.mp4"


def make_source(path: Path) -> None:
    """testsrc2 (moving shapes and a counter) with a sine tone, encoded like a camera would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part.mp4")
    cmd = [media.ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    cmd += ["-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={SECONDS}"]
    cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={SECONDS}"]
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
    cmd += ["-c:a", "aac", "-b:a", "128k", "-shortest", str(partial)]
    subprocess.run(cmd, check=True)
    partial.rename(path)


def per_rendition(source: Path, out_dir: Path) -> None:
    """(b): one ffmpeg per rendition, one after another, same encoder options as (a)."""
    info = media.probe(source)
    for rendition in media.ladder_for(min(info.width, info.height)):
        target = out_dir / rendition.name
        target.mkdir(parents=True)
        cmd = [media.ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        cmd += ["-i", str(source), "-map", "0:v:0", "-map", "0:a:0"]
        cmd += ["-vf", f"format=yuv420p,setsar=1,scale={rendition.width}:{rendition.height}"
                ":flags=bicubic"]  # fmt: skip
        cmd += media.x264_args(rendition, info.fps) + media.aac_args(rendition)
        cmd += media.hls_args(target, None)
        subprocess.run(cmd, check=True)


def children_cpu() -> float:
    """CPU seconds (user + system) of every ffmpeg this process has run and waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def size_mb(directory: Path, pattern: str = "*") -> float:
    return sum(f.stat().st_size for f in directory.rglob(pattern) if f.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians shown")
    parser.add_argument("--threads", type=int, help="threads per encoder in (a), to compare")
    args = parser.parse_args()
    if args.threads:
        media.ENCODER_THREADS = args.threads
    if not SOURCE.exists():
        print(f"Generating {SOURCE.relative_to(ROOT)} …", flush=True)
        make_source(SOURCE)
    info = media.probe(SOURCE)
    times: dict[str, list[float]] = {"a": [], "b": []}
    cpu: dict[str, list[float]] = {"a": [], "b": []}
    sizes: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-transcode-") as tmp:
        for run in range(args.repeat):
            for key in ("a", "b"):
                out = Path(tmp) / f"{key}{run}"
                started, cpu_before = time.perf_counter(), children_cpu()
                if key == "a":
                    media.transcode(SOURCE, out)
                else:
                    per_rendition(SOURCE, out)
                times[key].append(time.perf_counter() - started)
                cpu[key].append(children_cpu() - cpu_before)
                sizes[key] = size_mb(out, "*.m4s") + size_mb(out, "init.mp4")
                shutil.rmtree(out)
    a, b = statistics.median(times["a"]), statistics.median(times["b"])
    mbps = SOURCE.stat().st_size * 8 / info.duration / 1e6
    print(
        f"source: {info.width}x{info.height} {info.fps:g} fps, {info.duration:g} s, "
        f"{info.video_codec} {mbps:.1f} Mb/s; {os.cpu_count()} CPUs, {platform.machine()}"
    )
    print(
        f"ladder: {', '.join(r.name for r in media.ladder_for(info.height))}; libx264 "
        f"-preset {media.X264_PRESET}, 4 s GOP; (a) -threads {media.ENCODER_THREADS} per encoder"
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
    if args.repeat > 1:
        for key in ("a", "b"):
            print(f"all runs ({key}), wall s: {', '.join(f'{t:.1f}' for t in times[key])}")


if __name__ == "__main__":
    main()
