"""Media pipeline: check uploads, transcode them to adaptive HLS, make demo videos.

Everything here shells out to ffmpeg (`ffmpeg_binary()`); there is no ffprobe, so `probe()`
reads what `ffmpeg -i` prints. Nothing here touches the database.

`transcode(source, out_dir)` writes, inside `out_dir` only:

    master.m3u8          master playlist: one variant per rendition, with BANDWIDTH (peak
                         segment bitrate), AVERAGE-BANDWIDTH, RESOLUTION, CODECS and FRAME-RATE;
                         written last, so it exists only when everything else does
    360p/index.m3u8      VOD media playlist (fMP4, #EXT-X-MAP:URI="init.mp4")
    360p/init.mp4        initialisation segment
    360p/seg_00001.m4s   media segments of 4 s, cut on keyframes at the same times in every
    360p/seg_00002.m4s   rendition, so a player can switch between them at any boundary
    …
    540p/ 720p/ 1080p/   the same, for the renditions no taller than the source
    poster.jpg           a frame from 10% in, the size of the tallest rendition up to 720p
    thumbs.jpg           sprite of seek-bar thumbnails (long side 160 px), 10 per row
    thumbs.vtt           WebVTT cues pointing into it: `thumbs.jpg#xywh=x,y,w,h`

All paths in playlists and in thumbs.vtt are relative to the file that names them.

Choices worth knowing:

- The ladder is one ffmpeg process decoding the source once: the video is scaled in a
  cascade (1080p -> 720p -> 540p -> 360p, each step from the one above, which is cheaper
  than four scales from the source) and split to one libx264 encoder per rendition.
- Sizes follow the source's shorter side, so a portrait 1080x1920 phone video gets a
  "1080p" rendition of 1080x1920. Nothing is upscaled: a source shorter than 360p gets one
  rendition at its own size (rounded down to even), with the 360p bitrates as a ceiling.
- A source without audio gets video-only renditions (CODECS lists avc1 only); silence would
  cost bandwidth and tell the player nothing.
- Frame rates above 30 fps are brought down to 30: guided movement does not need more,
  and it halves the encoding time on small servers.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

SEGMENT_SECONDS = 4
MAX_FPS = 30.0
POSTER_MAX_HEIGHT = 720
THUMB_LONG_SIDE = 160
THUMB_COLUMNS = 10
PROGRESS_INTERVAL = 0.5  # seconds between on_progress calls, at most
TAIL_LINES = 20
_THUMBS_DIR = "thumbs.tmp"  # single thumbnails, removed once joined into thumbs.jpg

# libx264 settings shared by every rendition (and by bench/bench_transcode.py's baseline).
X264_PRESET = "veryfast"
X264_PROFILE = "high"
# Threads per encoder in the one-process ladder, which runs four encoders at once: on two
# cores 2 measured a little faster than ffmpeg's default of 3 and than 1, and used less CPU
# than the default. See bench/bench_transcode.py (--threads).
ENCODER_THREADS = 2


class MediaError(Exception):
    """A file that cannot be used; the message says why, in words fit for staff."""


class TranscodeError(MediaError):
    """ffmpeg failed; `tail` holds the last lines of what it printed."""

    def __init__(self, message: str, tail: str) -> None:
        super().__init__(message)
        self.tail = tail


@dataclass(frozen=True)
class Probe:
    duration: float  # seconds
    width: int  # as displayed, i.e. after any rotation in the file's metadata
    height: int
    fps: float
    has_audio: bool
    video_codec: str


@dataclass(frozen=True)
class Rendition:
    height: int  # of a landscape video; the shorter side in general
    width: int  # for 16:9 in LADDER; the real width in TranscodeResult
    video_kbps: int
    maxrate_kbps: int
    bufsize_kbps: int
    audio_kbps: int

    @property
    def name(self) -> str:
        """Directory name of the rendition under the output directory."""
        return f"{self.height}p"


# Bitrates in kb/s: video target, peak (maxrate, ~7% over) and VBV buffer (1.5 s of target).
LADDER: tuple[Rendition, ...] = (
    Rendition(height=360, width=640, video_kbps=800, maxrate_kbps=856, bufsize_kbps=1200,
              audio_kbps=96),
    Rendition(height=540, width=960, video_kbps=1400, maxrate_kbps=1498, bufsize_kbps=2100,
              audio_kbps=96),
    Rendition(height=720, width=1280, video_kbps=2800, maxrate_kbps=2996, bufsize_kbps=4200,
              audio_kbps=128),
    Rendition(height=1080, width=1920, video_kbps=5000, maxrate_kbps=5350, bufsize_kbps=7500,
              audio_kbps=128),
)  # fmt: skip


@dataclass(frozen=True)
class TranscodeResult:
    duration: float
    renditions: tuple[Rendition, ...]  # lowest first, with their real width and height
    master: Path
    poster: Path
    sprite: Path
    thumbnails_vtt: Path


def ffmpeg_binary() -> str:
    """`ffmpeg` on PATH if there is one, else the static build that imageio-ffmpeg ships."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


# -- Probing -----------------------------------------------------------------------------

_DURATION_RE = re.compile(r"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", re.MULTILINE)
_TIME_RE = re.compile(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")
_INPUT_RE = re.compile(r"^Input #0, ([\w,]+), from", re.MULTILINE)
_VIDEO_RE = re.compile(r"^\s*Stream #0:\d+\S*: Video: (\w+)(.*)$", re.MULTILINE)
_AUDIO_RE = re.compile(r"^\s*Stream #0:\d+\S*: Audio: ", re.MULTILINE)
_SIZE_RE = re.compile(r", (\d{2,5})x(\d{2,5})[ ,]")
_FPS_RE = re.compile(r", ([\d.]+)(k?) (?:fps|tbr)")
_ROTATION_RE = re.compile(r"rotation of (-?[\d.]+) degrees")


def _seconds(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def probe(path: Path) -> Probe:
    """Describe a video file, or raise MediaError saying why it is not a usable video.

    ffmpeg reads the header and then copies every packet to nowhere, which costs about as
    much as reading the file once and catches files cut short (a header that promises more
    than the file holds), which the header alone would not show.
    """
    if not path.is_file():
        raise MediaError("The file does not exist.")
    if path.stat().st_size == 0:
        raise MediaError("The file is empty.")
    cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(path)]
    cmd += ["-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy", "-f", "null", "-"]
    result = subprocess.run(cmd, capture_output=True, text=True, errors="replace", check=False)  # noqa: S603
    if "moov atom not found" in result.stderr:
        # An mp4 whose index never arrived, or anything else named .mp4 or .mov.
        with path.open("rb") as file:
            if file.read(8)[4:] == b"ftyp":
                raise MediaError("The file is incomplete: the upload may have been cut short.")
        raise MediaError("This is not a video file that can be read.")
    return parse_probe(result.stderr, exit_code=result.returncode)


def parse_probe(output: str, *, exit_code: int = 0) -> Probe:
    """Turn what `ffmpeg -i FILE … -f null -` printed into a Probe (see `probe`)."""
    fmt = _INPUT_RE.search(output)
    if fmt is None:
        raise MediaError("This is not a video file that can be read.")
    if fmt.group(1).endswith("_pipe") or fmt.group(1) == "image2":
        raise MediaError("This is a still image, not a video.")
    videos = [m for m in _VIDEO_RE.finditer(output) if "(attached pic)" not in m.group(2)]
    if not videos:
        raise MediaError("The file has no video, only audio.")
    if "partial file" in output or exit_code != 0:
        raise MediaError("The file is damaged or incomplete: the upload may have been cut short.")
    codec, details = videos[0].groups()
    size = _SIZE_RE.search(details + " ")
    if size is None:
        raise MediaError("The video's frame size cannot be read.")
    width, height = int(size.group(1)), int(size.group(2))
    rotation = _ROTATION_RE.search(output[videos[0].end() :])
    if rotation and round(abs(float(rotation.group(1)))) % 180 == 90:
        width, height = height, width
    fps_match = _FPS_RE.search(details)
    fps = 0.0
    if fps_match:
        fps = float(fps_match.group(1)) * (1000 if fps_match.group(2) else 1)
    duration_match = _DURATION_RE.search(output)
    if duration_match:
        duration = _seconds(duration_match)
    else:  # some containers (WebM from browsers) have no duration in the header
        times = list(_TIME_RE.finditer(output))
        duration = _seconds(times[-1]) if times else 0.0
    if duration <= 0.0:
        raise MediaError("The video has no length.")
    if fps <= 0.0 or fps > 1000:
        fps = MAX_FPS
    return Probe(
        duration=duration,
        width=width,
        height=height,
        fps=fps,
        has_audio=bool(_AUDIO_RE.search(output)),
        video_codec=codec,
    )


# -- The ladder ----------------------------------------------------------------------------


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def ladder_for(height: int) -> tuple[Rendition, ...]:
    """The renditions for a source whose shorter side is `height`: none taller than it.

    A source shorter than the smallest rung gets that rung's bitrates at its own height,
    so every video has at least one rendition and none is upscaled.
    """
    fitting = tuple(r for r in LADDER if r.height <= height)
    if fitting:
        return fitting
    small = _even(height)
    return (replace(LADDER[0], height=small, width=_even(small * 16 / 9)),)


def _sized(rendition: Rendition, width: int, height: int) -> Rendition:
    """The rendition with the real frame size for a `width`x`height` source."""
    if width >= height:
        return replace(rendition, width=_even(width * rendition.height / height))
    # Portrait: the rung is the width; keep `height` as the shorter side for its name.
    return replace(rendition, width=_even(height * rendition.height / width))


def _frame_size(rendition: Rendition, source: Probe) -> tuple[int, int]:
    if source.width >= source.height:
        return rendition.width, rendition.height
    return rendition.height, rendition.width


# -- Transcoding ---------------------------------------------------------------------------

ProgressCallback = Callable[[float, float | None], None]


@dataclass(frozen=True)
class _Plan:
    source: Probe
    renditions: tuple[Rendition, ...]  # lowest first, with real sizes
    fps: float
    thumb_interval: float
    thumb_size: tuple[int, int]


def _plan(source: Probe) -> _Plan:
    short_side = min(source.width, source.height)
    renditions = tuple(_sized(r, source.width, source.height) for r in ladder_for(short_side))
    # One thumbnail every 2 s for short videos, up to every 5 s, about 100 for an hour.
    interval = min(5.0, max(2.0, source.duration / 100))
    scale = THUMB_LONG_SIDE / max(source.width, source.height)
    thumb_size = (_even(source.width * scale), _even(source.height * scale))
    return _Plan(
        source=source,
        renditions=renditions,
        fps=min(source.fps, MAX_FPS),
        thumb_interval=interval,
        thumb_size=thumb_size,
    )


def x264_args(rendition: Rendition, fps: float, stream: str = "v:0") -> list[str]:
    """libx264 options for one rendition: the same for every rendition and every caller.

    Keyframes are forced every SEGMENT_SECONDS of source time and never placed anywhere
    else (no scene-cut detection, a GOP no shorter than a segment), so every rendition cuts
    its segments at the same instants.
    """
    gop = str(max(1, round(fps * SEGMENT_SECONDS)))
    return [
        f"-c:{stream}", "libx264",
        f"-preset:{stream}", X264_PRESET,
        f"-profile:{stream}", X264_PROFILE,
        f"-b:{stream}", f"{rendition.video_kbps}k",
        f"-maxrate:{stream}", f"{rendition.maxrate_kbps}k",
        f"-bufsize:{stream}", f"{rendition.bufsize_kbps}k",
        f"-g:{stream}", gop,
        f"-keyint_min:{stream}", gop,
        f"-sc_threshold:{stream}", "0",
        f"-force_key_frames:{stream}", f"expr:gte(t,n_forced*{SEGMENT_SECONDS})",
    ]  # fmt: skip


def aac_args(rendition: Rendition, stream: str = "a:0") -> list[str]:
    return [f"-c:{stream}", "aac", f"-b:{stream}", f"{rendition.audio_kbps}k", f"-ac:{stream}", "2"]


def hls_args(out_dir: Path, var_stream_map: str | None) -> list[str]:
    """HLS muxer options; with a var_stream_map, `%v` is each variant's name."""
    sub = "%v" if var_stream_map else ""
    args = ["-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_playlist_type", "vod"]
    # ffmpeg names a variant's init segment init_<variant>.mp4; see _rename_init.
    init = "init_%v.mp4" if var_stream_map else "init.mp4"
    args += ["-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", init]
    args += ["-hls_flags", "independent_segments", "-start_number", "1"]
    args += ["-hls_segment_filename", str(out_dir / sub / "seg_%05d.m4s")]
    if var_stream_map:
        args += ["-var_stream_map", var_stream_map]
    return [*args, str(out_dir / sub / "index.m3u8")]


def _source_filter(source: Probe) -> str:
    """What every picture goes through first: 8-bit 4:2:0, square pixels, at most 30 fps."""
    pre = "format=yuv420p,setsar=1"
    if source.fps > MAX_FPS + 0.5:
        pre = f"fps={MAX_FPS:g}," + pre
    return pre


def _thumbnail_filter(plan: _Plan) -> str:
    """One small frame every thumb_interval seconds, from whatever size it is given."""
    tile_w, tile_h = plan.thumb_size
    return f"fps=1/{plan.thumb_interval:g}:round=down,scale={tile_w}:{tile_h}:flags=bicubic"


def _filter_graph(plan: _Plan) -> str:
    """Decode once, then scale in a cascade from the tallest rendition down.

    Outputs: [r0]..[rN] per rendition (lowest first) and [thumbs], one small frame every
    thumb_interval seconds.
    """
    source = plan.source
    pre = _source_filter(source)
    steps: list[str] = []
    current = "[0:v]"
    count = len(plan.renditions)
    for index in reversed(range(count)):
        width, height = _frame_size(plan.renditions[index], source)
        chain = f"{pre}," if index == count - 1 else ""
        chain += f"scale={width}:{height}:flags=bicubic"
        outputs = f"[r{index}][down{index}]" if index > 0 else "[r0][thumbs_in]"
        steps.append(f"{current}{chain},split=2{outputs}")
        current = f"[down{index}]"
    steps.append(f"[thumbs_in]{_thumbnail_filter(plan)}[thumbs]")
    return ";".join(steps)


def _command(plan: _Plan, source: Path, out_dir: Path) -> list[str]:
    # Warnings and errors only, so the tail of stderr is about what went wrong.
    cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning", "-y"]
    cmd += ["-progress", "pipe:1", "-i", str(source)]
    cmd += ["-filter_complex", _filter_graph(plan)]
    variants = []
    for index in range(len(plan.renditions)):
        cmd += ["-map", f"[r{index}]"]
    if plan.source.has_audio:
        for _ in plan.renditions:
            cmd += ["-map", "0:a:0"]
    for index, rendition in enumerate(plan.renditions):
        cmd += x264_args(rendition, plan.fps, stream=f"v:{index}")
        variant = f"v:{index}"
        if plan.source.has_audio:
            cmd += aac_args(rendition, stream=f"a:{index}")
            variant += f",a:{index}"
        variants.append(f"{variant},name:{rendition.name}")
    cmd += ["-threads:v", str(ENCODER_THREADS)]
    cmd += hls_args(out_dir, " ".join(variants))
    # Thumbnails as separate small files, joined into a sprite afterwards: a `tile` filter
    # here would emit nothing until the end, and ffmpeg reports no progress until every
    # output has started.
    cmd += ["-map", "[thumbs]", "-q:v", "4", str(out_dir / _THUMBS_DIR / "%05d.jpg")]
    return cmd


def _poster_command(plan: _Plan, source: Path, out_dir: Path) -> list[str]:
    """A second, cheap ffmpeg: seek to 10% in and write one frame, at most 720p."""
    poster = [r for r in plan.renditions if r.height <= POSTER_MAX_HEIGHT][-1]
    width, height = _frame_size(poster, plan.source)
    cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning", "-y"]
    cmd += ["-ss", f"{plan.source.duration * 0.1:.3f}", "-i", str(source)]
    cmd += ["-vf", f"format=yuv420p,setsar=1,scale={width}:{height}:flags=bicubic"]
    cmd += ["-frames:v", "1", "-q:v", "3", "-update", "1", str(out_dir / "poster.jpg")]
    return cmd


def transcode(
    source: Path, out_dir: Path, *, on_progress: ProgressCallback | None = None
) -> TranscodeResult:
    """Transcode `source` to the HLS layout described at the top of this module.

    1. Probe the source (MediaError if it is not a usable video) and plan the ladder.
    2. Run one ffmpeg: decode once, scale in a cascade, encode every rendition and write a
       small thumbnail every few seconds; report progress as ffmpeg reports it.
    3. Run a second, quick ffmpeg that seeks to 10% in for the poster.
    4. Join the thumbnails into thumbs.jpg and write thumbs.vtt; write master.m3u8 last,
       from the files ffmpeg wrote.

    `out_dir` must be empty or not exist. On failure its contents are removed, so nothing
    there looks finished; nothing outside it is touched.
    """
    if out_dir.exists() and any(out_dir.iterdir()):
        raise MediaError(f"The output directory {out_dir} is not empty.")
    info = probe(source)
    plan = _plan(info)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        for rendition in plan.renditions:
            (out_dir / rendition.name).mkdir()
        (out_dir / _THUMBS_DIR).mkdir()
        _run(_command(plan, source, out_dir), info.duration, on_progress)
        for rendition in plan.renditions:
            _rename_init(out_dir / rendition.name)
        _run(_poster_command(plan, source, out_dir), info.duration, None)
        vtt = _write_thumbnails(plan, out_dir)
        master = _write_master(plan, out_dir)
    except BaseException:
        _empty(out_dir)
        raise
    if on_progress:
        on_progress(1.0, 0.0)
    return TranscodeResult(
        duration=info.duration,
        renditions=plan.renditions,
        master=master,
        poster=out_dir / "poster.jpg",
        sprite=out_dir / "thumbs.jpg",
        thumbnails_vtt=vtt,
    )


def _empty(directory: Path) -> None:
    for child in directory.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


@contextmanager
def _ffmpeg(cmd: list[str], stderr: IO[bytes]) -> Iterator[subprocess.Popen[str]]:
    """Run ffmpeg, killing it if the caller is interrupted before it ends."""
    proc = subprocess.Popen(  # noqa: S603
        cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()


def _run(cmd: list[str], duration: float, on_progress: ProgressCallback | None) -> None:
    """Run ffmpeg with `-progress pipe:1`; TranscodeError with its stderr's tail if it fails."""
    # stderr goes to a file, not a pipe, so a chatty ffmpeg never blocks on it.
    with tempfile.TemporaryFile() as stderr:
        with _ffmpeg(cmd, stderr) as proc:
            assert proc.stdout is not None
            _follow_progress(proc.stdout, duration, on_progress)
            exit_code = proc.wait()
        if exit_code != 0:
            stderr.seek(0)
            lines = stderr.read().decode(errors="replace").splitlines()
            tail = "\n".join(lines[-TAIL_LINES:])
            reasons = [line for line in lines if line.strip() != "Conversion failed!"]
            last = reasons[-1] if reasons else "no output"
            raise TranscodeError(f"ffmpeg failed (exit code {exit_code}): {last}", tail=tail)


def _follow_progress(
    stream: Iterable[str], duration: float, on_progress: ProgressCallback | None
) -> None:
    """Read ffmpeg's `key=value` progress blocks and report at most every PROGRESS_INTERVAL.

    Each block ends with `progress=continue` (or `end`); out_time_us is how far the output
    has got, speed how many seconds of video ffmpeg makes per second.
    """
    values: dict[str, str] = {}
    last_call = 0.0
    reported = 0.0
    for line in stream:
        key, _, value = line.strip().partition("=")
        values[key] = value
        if key != "progress" or on_progress is None:
            continue
        now = time.monotonic()
        if now - last_call < PROGRESS_INTERVAL or value == "end":
            continue
        try:
            done = max(0.0, int(values.get("out_time_us", "0")) / 1e6)
        except ValueError:  # "N/A" before the first frame
            continue
        # Outputs advance unevenly; never let the bar go backwards.
        fraction = reported = max(reported, min(1.0, done / duration))
        speed = values.get("speed", "").rstrip("x").strip()
        eta: float | None = None
        try:
            if float(speed) > 0:
                eta = max(0.0, (duration - done) / float(speed))
        except ValueError:
            pass
        last_call = now
        on_progress(fraction, eta)


def _write_thumbnails(plan: _Plan, out_dir: Path) -> Path:
    """Join the thumbnails ffmpeg wrote into thumbs.jpg and describe them in thumbs.vtt."""
    from PIL import Image

    tiles = sorted((out_dir / _THUMBS_DIR).glob("*.jpg"))
    if not tiles:
        raise MediaError("ffmpeg wrote no thumbnails.")
    width, height = plan.thumb_size
    columns = min(THUMB_COLUMNS, len(tiles))
    rows = math.ceil(len(tiles) / columns)
    sprite = Image.new("RGB", (columns * width, rows * height))
    lines = ["WEBVTT", ""]
    for index, tile in enumerate(tiles):
        x, y = index % columns * width, index // columns * height
        with Image.open(tile) as image:
            sprite.paste(image, (x, y))
        start = index * plan.thumb_interval
        end = min(start + plan.thumb_interval, plan.source.duration)
        if end <= start:  # a last thumbnail at the very end would have an empty cue
            break
        lines += [f"{_timestamp(start)} --> {_timestamp(end)}"]
        lines += [f"thumbs.jpg#xywh={x},{y},{width},{height}", ""]
    sprite.save(out_dir / "thumbs.jpg", quality=80)
    shutil.rmtree(out_dir / _THUMBS_DIR)
    path = out_dir / "thumbs.vtt"
    path.write_text("\n".join(lines))
    return path


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def _segments(playlist: Path) -> list[tuple[float, Path]]:
    """(duration, file) for each segment of a media playlist."""
    segments = []
    duration = 0.0
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",")[0])
        elif line and not line.startswith("#"):
            segments.append((duration, playlist.parent / line))
    return segments


def _rename_init(variant_dir: Path) -> None:
    """Call the init segment init.mp4 (ffmpeg adds the variant's name), file and playlist."""
    playlist = variant_dir / "index.m3u8"
    text = playlist.read_text()
    match = re.search(r'^#EXT-X-MAP:URI="([^"/]+)"', text, re.MULTILINE)
    if match is None:
        raise MediaError(f"ffmpeg wrote no init segment for {variant_dir.name}.")
    if match.group(1) != "init.mp4":
        (variant_dir / match.group(1)).rename(variant_dir / "init.mp4")
        playlist.write_text(text.replace(match.group(0), '#EXT-X-MAP:URI="init.mp4"'))


def _avc_codec(init: Path) -> str:
    """The RFC 6381 codec string (avc1.PPCCLL) from the avcC box of an init segment."""
    data = init.read_bytes()
    at = data.find(b"avcC")
    if at < 0:
        raise MediaError(f"{init.name} has no H.264 configuration.")
    profile, constraints, level = data[at + 5 : at + 8]
    return f"avc1.{profile:02x}{constraints:02x}{level:02x}"


def _write_master(plan: _Plan, out_dir: Path) -> Path:
    """Write master.m3u8 from the variant playlists ffmpeg wrote, lowest rendition first.

    BANDWIDTH is the peak bitrate of any segment (with the init segment, as a player
    fetches it), AVERAGE-BANDWIDTH the mean, as the HLS spec defines them.
    """
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for rendition in plan.renditions:
        playlist = out_dir / rendition.name / "index.m3u8"
        segments = _segments(playlist)
        if not segments:
            raise MediaError(f"ffmpeg wrote no segments for {rendition.name}.")
        init = out_dir / rendition.name / "init.mp4"
        peak = max(size.stat().st_size * 8 / max(seconds, 0.1) for seconds, size in segments)
        total_bits = sum(size.stat().st_size for _, size in segments) * 8
        average = total_bits / max(sum(seconds for seconds, _ in segments), 0.1)
        codecs = _avc_codec(init)
        if plan.source.has_audio:
            codecs += ",mp4a.40.2"
        width, height = _frame_size(rendition, plan.source)
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={math.ceil(peak)},"
            f"AVERAGE-BANDWIDTH={math.ceil(average)},"
            f'RESOLUTION={width}x{height},CODECS="{codecs}",FRAME-RATE={plan.fps:.3f}'
        )
        lines.append(f"{rendition.name}/index.m3u8")
    path = out_dir / "master.m3u8"
    partial = out_dir / "master.m3u8.part"
    partial.write_text("\n".join(lines) + "\n")
    os.replace(partial, path)
    return path


# -- Demo and test videos -----------------------------------------------------------------


def make_test_video(
    path: Path, *, title: str, seconds: float, height: int = 720, tone_hz: int = 440, fps: int = 30
) -> None:
    """Write a 16:9 H.264/AAC mp4: ffmpeg's moving test card, `title` on it, a sine tone.

    The title is drawn by Pillow with its built-in font and overlaid, so no system font is
    needed. Encoded with the ultrafast preset: these are sources, made to be transcoded.
    """
    from PIL import Image, ImageDraw, ImageFont

    width = _even(height * 16 / 9)
    font = ImageFont.load_default(size=max(12, height // 12))
    measure = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = (round(v) for v in measure.textbbox((0, 0), title, font=font))
    pad = max(4, height // 40)
    label = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 160))
    ImageDraw.Draw(label).text((pad - left, pad - top), title, font=font, fill="white")
    with tempfile.TemporaryDirectory() as tmp:
        label_path = Path(tmp) / "title.png"
        label.save(label_path)
        cmd = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        cmd += ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}"]
        cmd += ["-f", "lavfi", "-i", f"sine=frequency={tone_hz}:sample_rate=48000"]
        cmd += ["-i", str(label_path)]
        cmd += ["-filter_complex", "[0:v][2:v]overlay=(W-w)/2:(H-h)/2,format=yuv420p[v]"]
        cmd += ["-map", "[v]", "-map", "1:a", "-t", f"{seconds:g}"]
        cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "26", "-g", str(fps * 2)]
        cmd += ["-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart", str(path)]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tail = "\n".join(result.stderr.splitlines()[-TAIL_LINES:])
        raise TranscodeError(f"ffmpeg could not make {path.name}.", tail=tail)
