import pytest

from homestretch.library.captions import CaptionError, cues, to_webvtt

SRT = """1
00:00:01,500 --> 00:00:03,000
Breathe in

2
00:01:02,000 --> 00:01:04,250
Let the knees <i>sway</i>
"""


def test_srt_becomes_webvtt() -> None:
    vtt = to_webvtt(SRT)
    assert vtt.startswith("WEBVTT")
    assert "00:00:01.500 --> 00:00:03.000" in vtt
    assert [(c.start, c.text) for c in cues(vtt)] == [
        (1.5, "Breathe in"),
        (62.0, "Let the knees sway"),
    ]


def test_webvtt_is_kept_and_validated() -> None:
    vtt = to_webvtt("\ufeffWEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nHello\r\n")
    assert cues(vtt)[0].text == "Hello"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("just some words", "neither WebVTT nor SRT"),
        ("WEBVTT\n\nnot a cue line\nHello\n", "no cues"),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nBackwards\n", "ends before it starts"),
    ],
)
def test_broken_captions_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CaptionError, match=reason):
        to_webvtt(text)
