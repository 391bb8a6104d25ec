"""Transcript files for podcast apps: the formats the feed offers, and why a file is not one of them.

A leaf module (nothing from the models) shared by the episode page's validation, the feed and the endpoint that
serves the files.
"""

from __future__ import annotations

import re

# Extension → the MIME type the Podcasting 2.0 spec names for podcast:transcript.
TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip"}
# Enough for a header, a NOTE or two and the first cue; a long episode's transcript runs to megabytes.
HEAD_BYTES = 16 * 1024

VTT_SIGNATURE = re.compile(r"WEBVTT(?:[ \t][^\r\n]*)?(?:\r\n|\r|\n|$)")
VTT_TIMING = re.compile(r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}")
SRT_FIRST_CUE = re.compile(
    r"\d+[ \t]*\r?\n\d{2,}:\d{2}:\d{2}[,.]\d{3}[ \t]+-->[ \t]+\d{2,}:\d{2}:\d{2}[,.]\d{3}"
)
SRT_EXAMPLE = '"1", then a time line such as "00:00:00,000 --> 00:00:04,000", then the words'


def transcript_extension(filename: str) -> str:
    """The lower-case extension of a file name without its dot ("" when it has none)."""
    stem, dot, extension = filename.rpartition(".")
    return extension.lower() if dot and stem else ""


def transcript_problem(*, filename: str, head: bytes) -> str | None:
    """Why a file cannot be offered to podcast apps as a transcript, or None; ``head`` is its first bytes."""
    extension = transcript_extension(filename)
    if extension not in TRANSCRIPT_TYPES:
        shown = f"a .{extension} file" if extension else "a file without an extension"
        return f"{filename} is {shown}: choose a WebVTT (.vtt) or SubRip (.srt) transcript."
    if not head.strip():
        return f"{filename} is empty."
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not merely a character cut in two at the end of the head
            return f"{filename} is not UTF-8 text (byte {error.start}); save it as UTF-8 and upload it again."
        text = head[: error.start].decode("utf-8")
    text = text.removeprefix("\ufeff")
    if extension == "vtt":
        if not VTT_SIGNATURE.match(text):
            first_line = text.splitlines()[0][:40] if text.strip() else ""
            return f'{filename} is not a WebVTT file: its first line must be "WEBVTT", not "{first_line}".'
        if not VTT_TIMING.search(text):
            return (
                f"{filename} has no cues: each cue needs a time line such as "
                '"00:00:00.000 --> 00:00:04.000", then the words.'
            )
        return None
    if not SRT_FIRST_CUE.match(text.lstrip()):
        if VTT_SIGNATURE.match(text):
            return f"{filename} is a WebVTT file; give it the .vtt extension."
        return f"{filename} is not a SubRip file: it must begin with a numbered cue, {SRT_EXAMPLE}."
    return None
