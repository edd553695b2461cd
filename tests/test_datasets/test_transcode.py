"""Transcoding a dataset (mmssl.datasets.transcode, tools/data/transcode.py):
sizes, frame counts and frame order kept, resume, broken inputs counted."""
import json
import os
import os.path as osp

import numpy as np
import pytest
from tool_modules import load_tool
from video_fixtures import read_frame_code, write_coded_video

from mmssl.datasets import transcode
from mmssl.datasets.transcode import encode

av = pytest.importorskip('av')
tool = load_tool('tools/data/transcode.py', 'transcode_tool')

NUM_FRAMES = 30


@pytest.fixture
def src_root(tmp_path):
    root = tmp_path / 'src'
    (root / 'class_a').mkdir(parents=True)
    write_coded_video(str(root / 'class_a' / 'long_gop.mp4'), NUM_FRAMES,
                      'h264_long_gop_bframes', size=64)
    write_coded_video(str(root / 'bframes.avi'), NUM_FRAMES,
                      'mpeg4_part2_bframes_avi', size=64)
    (root / 'broken.mp4').write_bytes(b'not a video at all')
    return str(root)


def decode_all(path):
    with av.open(path) as container:
        return [f.to_ndarray(format='rgb24')
                for f in container.decode(container.streams.video[0])]


def keyframe_gaps(path):
    with av.open(path) as container:
        keys = [p.is_keyframe for p in container.demux(
            container.streams.video[0]) if p.size]
    return np.diff(np.flatnonzero(keys))


def run(src_root, dst_root, short_side=32, keyint=4):
    settings = transcode.transcode_settings(short_side, keyint,
                                            preset='ultrafast')
    rels = transcode.list_videos(src_root)
    return transcode.transcode_dataset(src_root, dst_root, rels, settings,
                                       'pyav', workers=1, progress=False)


def test_outputs_keep_layout_frame_count_and_frame_order(src_root, tmp_path):
    dst = str(tmp_path / 'dst')
    manifest = run(src_root, dst)
    assert sorted(manifest['run']['done']) == ['bframes.avi',
                                               'class_a/long_gop.mp4']
    for rel in manifest['run']['done']:
        frames = decode_all(osp.join(dst, rel))
        assert len(frames) == NUM_FRAMES
        assert frames[0].shape == (32, 32, 3)  # short side 64 -> 32
        assert [read_frame_code(f) for f in frames] == list(range(NUM_FRAMES))
        assert keyframe_gaps(osp.join(dst, rel)).max() <= 4
        record = manifest['videos'][rel]
        assert record['src_frames'] == record['dst_frames'] == NUM_FRAMES
        assert record['size'] == [32, 32]
    assert not [n for n in os.listdir(dst) if n.startswith('.')]  # no temps


def test_broken_input_is_reported_and_counted(src_root, tmp_path):
    manifest = run(src_root, str(tmp_path / 'dst'))
    assert manifest['run']['failed'] == ['broken.mp4']
    record = manifest['videos']['broken.mp4']
    assert record['status'] == 'failed' and 'InvalidData' in record['error']
    assert not osp.exists(tmp_path / 'dst' / 'broken.mp4')
    report = transcode.build_report(manifest, [])
    assert report['num_failed'] == 1 and report['num_done'] == 2
    assert 'broken.mp4' in report['failed']


def test_resume_skips_complete_outputs_and_retries_failures(src_root,
                                                            tmp_path):
    dst = str(tmp_path / 'dst')
    run(src_root, dst)
    out = osp.join(dst, 'bframes.avi')
    mtime = os.stat(out).st_mtime_ns
    again = run(src_root, dst)
    assert sorted(again['run']['skipped']) == ['bframes.avi',
                                               'class_a/long_gop.mp4']
    assert again['run']['done'] == [] and again['run']['failed'] == [
        'broken.mp4']
    assert os.stat(out).st_mtime_ns == mtime
    saved = transcode.load_manifest(dst)
    assert saved['videos']['bframes.avi']['status'] == 'done'
    # other settings: redone
    changed = run(src_root, dst, short_side=16)
    assert sorted(changed['run']['done']) == ['bframes.avi',
                                              'class_a/long_gop.mp4']


def test_frame_count_mismatch_is_not_kept(src_root, tmp_path, monkeypatch):
    real = encode.count_frames
    monkeypatch.setattr(transcode.job, 'count_frames',
                        lambda path: real(path) - 1)
    manifest = run(src_root, str(tmp_path / 'dst'))
    record = manifest['videos']['bframes.avi']
    assert record['status'] == 'frame_count_mismatch'
    assert not osp.exists(tmp_path / 'dst' / 'bframes.avi')


def test_even_sizes_and_no_upscaling():
    assert encode.even_output_size((240, 320), 128) == (128, 170)
    assert encode.even_output_size((720, 405), 256) == (454, 256)
    assert encode.even_output_size((64, 64), 128) == (64, 64)


def test_missing_encoder_names_pip_install_av(monkeypatch):
    monkeypatch.setattr(encode, 'import_av_for_transcode', lambda: None)
    monkeypatch.setattr(encode.shutil, 'which', lambda name: None)
    with pytest.raises(ImportError, match='pip install av'):
        encode.encoder_available()


def test_tool_with_list_writes_report(src_root, tmp_path, capsys):
    ann = tmp_path / 'list.txt'
    ann.write_text('class_a/long_gop.mp4 0\n')
    dst, report_path = tmp_path / 'dst', tmp_path / 'report.json'
    status = tool.main([src_root, str(dst), '--list', str(ann),
                        '--short-side', '32', '--keyint', '8', '--preset',
                        'ultrafast', '--speed-repeat', '1', '--report',
                        str(report_path), '--no-progress'])
    assert status == 0
    assert os.listdir(dst / 'class_a') == ['long_gop.mp4']
    report = json.loads(report_path.read_text())
    assert report['num_done'] == 1 and report['size_ratio'] > 0
    assert report['decode']['files'][0]['rel'] == 'class_a/long_gop.mp4'
    assert report['decode']['median_ratio'] > 0
    assert 'median time ratio' in capsys.readouterr().out


def test_ext_changes_container_and_rewrites_list_in_parallel(src_root,
                                                             tmp_path):
    ann = tmp_path / 'list.txt'
    ann.write_text('class_a/long_gop.mp4 0\n"bframes.avi" 1\n')
    dst = tmp_path / 'dst'
    status = tool.main([src_root, str(dst), '--list', str(ann), '--ext',
                        '.mkv', '--short-side', '32', '--keyint', '8',
                        '--preset', 'ultrafast', '--workers', '2',
                        '--speed-samples', '2', '--speed-repeat', '1',
                        '--no-progress'])
    assert status == 0
    assert (dst / 'list.txt').read_text() == \
        'class_a/long_gop.mkv 0\n"bframes.mkv" 1\n'
    frames = decode_all(str(dst / 'bframes.mkv'))
    assert [read_frame_code(f) for f in frames] == list(range(NUM_FRAMES))
    report = json.loads((dst / 'transcode_report.json').read_text())
    assert sorted(r['rel'] for r in report['decode']['files']) == [
        'bframes.avi', 'class_a/long_gop.mp4']
    assert all('ratio' in r for r in report['decode']['files'])


def test_two_inputs_onto_one_output_are_refused():
    with pytest.raises(ValueError, match='a.avi and a.mp4'):
        transcode.run.plan('src', 'dst', ['a.avi', 'a.mp4'], {},
                           dict(videos={}), 'pyav', ext='.mp4')


def test_ffmpeg_binary_command_and_failure(monkeypatch, tmp_path):
    """The binary path (no ffmpeg on the test machine): the command keeps
    every frame, scales the short side without upscaling, sets the GOP;
    a failing ffmpeg becomes an error message, not a crash."""
    calls = []

    class Done:
        returncode, stderr = 1, 'Invalid data found when processing input'

    monkeypatch.setattr(encode.subprocess, 'run',
                        lambda cmd, **kw: calls.append(cmd) or Done())
    settings = transcode.transcode_settings(128, 16, preset='fast')
    (tmp_path / 'x.mp4').write_bytes(b'x')
    record = transcode.run_job(dict(
        rel='x.mp4', dst_rel='x.mp4', src=str(tmp_path / 'x.mp4'),
        dst=str(tmp_path / 'out' / 'x.mp4'), settings=settings,
        encoder='ffmpeg'))
    cmd = calls[0]
    assert cmd[cmd.index('-fps_mode') + 1] == 'passthrough'
    assert cmd[cmd.index('-g') + 1] == '16'
    assert cmd[cmd.index('-crf') + 1] == '23'
    assert cmd[cmd.index('-preset') + 1] == 'fast'
    assert 'min(128,iw)' in cmd[cmd.index('-vf') + 1]
    assert record['status'] == 'failed'
    assert 'ffmpeg failed (1)' in record['error']
