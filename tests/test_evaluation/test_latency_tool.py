"""tools/analysis_tools/latency.py on tiny configs: a recognizer and a
pretraining config, a few iterations, a plausible report (no timing
assertions)."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import pytest
from mmengine.config import Config

from mmssl.utils import register_all_modules

FINETUNE_TINY = 'configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py'
VCOP_TINY = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'
TCLR_PAPER = 'configs/tclr/tclr_r3d-18_1xb40-16x112x112-400e_ucf101-split1.py'


def _tool(repo_root):
    path = osp.join(repo_root, 'tools', 'analysis_tools', 'latency.py')
    spec = importlib.util.spec_from_file_location('latency_tool', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cfg(repo_root, path):
    register_all_modules(init_default_scope=False)
    return Config.fromfile(osp.join(repo_root, path))


def _check_summary(summary):
    assert set(summary) == {'median', 'p90', 'mean', 'min', 'max'}
    assert 0 < summary['min'] <= summary['median'] <= summary['p90'] \
        <= summary['max']


def test_clip_shape_is_read_from_the_test_pipeline(repo_root):
    tool = _tool(repo_root)
    assert tool.clip_shape_from_config(_cfg(repo_root, FINETUNE_TINY)) == (
        'test_dataloader', 8, (32, 32))
    # a retrieval ConcatDataset of a pretraining config
    assert tool.clip_shape_from_config(_cfg(repo_root, VCOP_TINY))[1:] == (
        8, (32, 32))
    # TCLR's whole-frame Resize(112, 112) retrieval view
    assert tool.clip_shape_from_config(_cfg(repo_root, TCLR_PAPER))[1:] == (
        16, (112, 112))


def test_recognizer_report(repo_root):
    report = _tool(repo_root).measure_latency(
        _cfg(repo_root, FINETUNE_TINY), batch_size=2, clips=3, iters=3,
        warmup=1, threads=1, show_progress=False)
    assert report['timed'].startswith('recognizer')
    assert report['input_shape'] == [2, 3, 3, 8, 32, 32]
    assert report['threads'] == 1 and report['device'] == 'cpu'
    _check_summary(report['ms_per_forward'])
    _check_summary(report['ms_per_clip'])
    assert report['ms_per_clip']['median'] == pytest.approx(
        report['ms_per_forward']['median'] / 6, rel=1e-3, abs=1e-3)
    assert report['clips_per_second'] > 0


def test_pretraining_config_times_the_backbone_with_shape_flags(repo_root):
    report = _tool(repo_root).measure_latency(
        _cfg(repo_root, VCOP_TINY), clip_len=4, crop_size=(24, 16),
        iters=2, warmup=0, show_progress=False)
    assert report['timed'].startswith('backbone')
    assert report['input_shape'] == [1, 1, 3, 4, 24, 16]
    assert report['shape_source'] == dict(clip_len='argument',
                                          crop_size='argument')
    _check_summary(report['ms_per_clip'])


def test_missing_shape_and_bad_counts_are_named(repo_root):
    tool = _tool(repo_root)
    cfg = _cfg(repo_root, FINETUNE_TINY)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg.pop(key)
    with pytest.raises(ValueError, match='--clip-len and --crop-size'):
        tool.measure_latency(cfg, iters=1, show_progress=False)
    with pytest.raises(ValueError, match='iters must be'):
        tool.measure_latency(cfg, iters=0, show_progress=False)


def test_cli_writes_json(repo_root, tmp_path):
    out = tmp_path / 'latency.json'
    subprocess.run([
        sys.executable, 'tools/analysis_tools/latency.py', FINETUNE_TINY,
        '--iters', '2', '--warmup', '1', '--threads', '1', '--out',
        str(out)
    ], cwd=repo_root, check=True, capture_output=True, timeout=300)
    report = json.loads(out.read_text())
    assert report['config'] == FINETUNE_TINY
    assert report['checkpoint'] == 'random init'
    assert report['iters'] == 2 and report['threads'] == 1
