"""tools/analysis_tools/check_frame_accuracy.py: table, JSON, exit status."""
import importlib.util
import json
import os.path as osp

import pytest
from video_fixtures import write_coded_video

pytest.importorskip('av')
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
_spec = importlib.util.spec_from_file_location(
    'check_frame_accuracy',
    osp.join(REPO, 'tools/analysis_tools/check_frame_accuracy.py'))
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)


def test_reports_verdicts_per_file_backend_and_access(tmp_path, capsys):
    write_coded_video(str(tmp_path / 'a.avi'), 40, 'mpeg4_part2_bframes_avi')
    write_coded_video(str(tmp_path / 'b.mpg'), 40, 'mpeg2_program_stream')
    out = tmp_path / 'report.json'
    status = tool.main([str(tmp_path), '--backends', 'decord', 'pyav',
                        'torchcodec', '--out', str(out)])
    assert status == 0  # decord/sequential accurate (or refused) everywhere
    report = json.loads(out.read_text())
    assert [osp.basename(v['file']) for v in report['videos']] == \
        ['a.avi', 'b.mpg']
    summary = report['summary']
    assert summary['decord/random'] == {'WRONG': 1, 'refused': 1}
    assert summary['decord/sequential'] == {'accurate': 1, 'refused': 1}
    assert summary['pyav/keyframe'] == {'accurate': 2}
    assert set(summary['torchcodec/random']) <= {'unavailable', 'accurate'}
    printed = capsys.readouterr().out
    assert 'a.avi' in printed and 'WRONG' in printed


def test_required_pair_that_is_wrong_fails(tmp_path):
    write_coded_video(str(tmp_path / 'a.avi'), 40, 'mpeg4_part2_bframes_avi')
    assert tool.main([str(tmp_path / 'a.avi'), '--backends', 'decord',
                      '--required', 'decord/random']) == 1


def test_missing_path_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope'):
        tool.main([str(tmp_path / 'nope')])
