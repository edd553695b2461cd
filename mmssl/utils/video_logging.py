"""Keep FFmpeg's decoder chatter out of the console unless asked for."""
import os


def quiet_ffmpeg(verbose: bool = None) -> None:
    """Lower the log level of the FFmpeg libraries behind decord and PyAV.

    Args:
        verbose (bool, optional): Keep FFmpeg's messages. Defaults to the
            environment variable ``MMSSL_FFMPEG_VERBOSE`` (``1`` = verbose).
    """
    if verbose is None:
        verbose = os.environ.get('MMSSL_FFMPEG_VERBOSE', '0') == '1'
    if verbose:
        return
    try:
        import decord
        # AV_LOG_QUIET = -8; decord exposes the FFmpeg log level setter.
        decord.logging.set_level(decord.logging.QUIET)
    except (ImportError, AttributeError):  # pragma: no cover
        pass
    try:
        import av
        av.logging.set_level(av.logging.PANIC)
    except (ImportError, AttributeError):
        pass
