"""Errors raised for bad input data, naming the file (and line) at fault."""


class AnnotationError(ValueError):
    """A malformed line in an annotation list (message: ``file:line: why``)."""


class VideoReadError(RuntimeError):
    """A video that cannot be opened or decoded (message names the file)."""


class VideoTooShortError(VideoReadError):
    """A video with fewer frames than a sampler's ``min_frames`` (the
    message names the file, its frame count and the minimum)."""


def describe_source(results: dict) -> str:
    """``'"path" (listed at ann_file:line)'`` for error messages."""
    text = f'"{results.get("filename", "<unknown video>")}"'
    if 'ann_file' in results and 'ann_line' in results:
        text += f' (listed at {results["ann_file"]}:{results["ann_line"]})'
    return text
