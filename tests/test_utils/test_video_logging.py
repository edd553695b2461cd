"""FFmpeg's decoder chatter is silenced unless MMSSL_FFMPEG_VERBOSE=1."""
import os
import subprocess
import sys
import textwrap

import cv2
import numpy as np
import pytest


@pytest.fixture(scope='module')
def damaged_mp4(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('damaged') / 'damaged.mp4')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'mp4v'), 25,
                             (64, 64))
    rng = np.random.default_rng(0)
    for _ in range(24):
        writer.write(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8))
    writer.release()
    data = bytearray(open(path, 'rb').read())
    for i in rng.integers(2000, len(data) - 2000, 80):
        data[i] ^= 0xFF
    open(path, 'wb').write(bytes(data))
    return path


def decode_stderr(path, verbose):
    code = textwrap.dedent(f"""
        from mmssl.utils import quiet_ffmpeg
        quiet_ffmpeg()
        import decord
        reader = decord.VideoReader({path!r})
        try:
            reader.get_batch(list(range(len(reader))))
        except Exception:
            pass
        """)
    env = dict(os.environ, MMSSL_FFMPEG_VERBOSE=verbose)
    out = subprocess.run([sys.executable, '-c', code],
                         capture_output=True,
                         text=True,
                         env=env,
                         timeout=120)
    return out.stderr


def test_ffmpeg_messages_hidden_by_default_and_shown_on_request(damaged_mp4):
    assert '[mpeg4 @' in decode_stderr(damaged_mp4, '1')
    assert '[mpeg4 @' not in decode_stderr(damaged_mp4, '0')
