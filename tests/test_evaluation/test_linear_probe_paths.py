"""Linear probe end to end on the tiny SynthMotion fixture: the on-the-fly
probe (tools/train.py) keeps the backbone bit-identical, BN buffers
included, and gives the same classifier and accuracy as the cached path
(extract_features.py + linear_probe.py); the tools run with 'none'.

Why the two paths must agree to float error (docs/protocols/
linear_probe.md): the backbone is frozen and in eval mode in both, so the
features are the same up to float summation order (the cache averages the
one centre clip's pooled map, I3DHead average-pools the same map); the
classifier starts at zero in both, has no dropout, and is trained by the
same full-batch momentum SGD with the same per-epoch cosine schedule, so
the mini-batch order does not matter either. Differences of ~1e-6 in the
features give weight differences far below the 1e-5 tolerance, and equal
argmax decisions unless two logits tie to ~1e-6 (they do not here).
"""
import glob
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch
from probe_fixtures import REPO_ROOT, VCOP_TINY, tiny_checkpoint
from tool_modules import load_tool

from mmssl.evaluation.feature_cache import load_feature_cache
from mmssl.evaluation.functional.linear_probe import train_linear_probe

PROBE_TINY = 'configs/benchmarks/linear/r3d-tiny_linear_synthmotion.py'
EPOCHS, LR, FULL_BATCH = 6, 5.0, 16  # 16 train videos in the fixture


def _run(args, check=True):
    result = subprocess.run([sys.executable] + args, cwd=REPO_ROOT,
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(result.stdout[-3000:] + result.stderr[-3000:])
    return result


def _tool(name, argv):
    """Run ``tools/analysis_tools/<name>.py`` in this process."""
    return load_tool(f'tools/analysis_tools/{name}.py',
                     f'{name}_tool').main(argv)


@pytest.fixture(scope='module')
def probe_run(synthmotion, tmp_path_factory):
    """One on-the-fly probe with tools/train.py on a tiny checkpoint."""
    root = tmp_path_factory.mktemp('probe')
    ckpt = tiny_checkpoint(str(root / 'tiny.pth'))
    config = root / 'probe_cfg.py'
    config.write_text(f"""_base_ = [{osp.join(REPO_ROOT, PROBE_TINY)!r}]
max_epochs = {EPOCHS}
model = dict(backbone_checkpoint={ckpt!r})
train_dataloader = dict(batch_size={FULL_BATCH}, num_workers=0,
                        persistent_workers=False)
val_dataloader = dict(num_workers=0, persistent_workers=False)
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr={LR}))
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [dict(type='CosineAnnealingLR', T_max=max_epochs,
                        eta_min=0.0, by_epoch=True, begin=0, end=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
""")
    work_dir = str(root / 'work')
    _run(['tools/train.py', str(config), '--work-dir', work_dir,
          '--data-root', synthmotion])
    scalars = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(scalars[0]) as f:
        val = [json.loads(line) for line in f if 'acc/top1' in line][-1]
    return dict(root=root, ckpt=ckpt, work_dir=work_dir, val=val,
                final=osp.join(work_dir, f'epoch_{EPOCHS}.pth'))


def test_probe_keeps_backbone_and_bn_buffers_bit_identical(probe_run):
    before = torch.load(probe_run['ckpt'], weights_only=True)['state_dict']
    after = torch.load(probe_run['final'], weights_only=False)['state_dict']
    backbone = [k for k in before if k.startswith('backbone.')]
    assert any(k.endswith('running_var') for k in backbone)
    assert any(k.endswith('num_batches_tracked') for k in backbone)
    changed = [k for k in backbone if not torch.equal(before[k], after[k])]
    assert changed == []
    assert after['cls_head.fc_cls.weight'].abs().max() > 0  # the head trained


def test_cached_and_on_the_fly_paths_agree(probe_run, synthmotion):
    out = str(probe_run['root'] / 'cache')
    _tool('extract_features', [
        VCOP_TINY, probe_run['ckpt'], '--out', out, '--num-clips', '1',
        '--num-workers', '0', '--data-root', synthmotion])
    train_feats, train_labels, _ = load_feature_cache(
        out, 'train', expect_checkpoint=probe_run['ckpt'])
    val_feats, val_labels, _ = load_feature_cache(out, 'val')
    report, classifier = train_linear_probe(
        train_feats, train_labels, val_feats, val_labels, 8, epochs=EPOCHS,
        lr=LR, batch_size=FULL_BATCH, standardize=False,
        return_classifier=True)
    after = torch.load(probe_run['final'], weights_only=False)['state_dict']
    torch.testing.assert_close(
        classifier.weight.detach(), after['cls_head.fc_cls.weight'],
        rtol=0, atol=1e-5)
    torch.testing.assert_close(
        classifier.bias.detach(), after['cls_head.fc_cls.bias'], rtol=0,
        atol=1e-5)
    assert report['top1'] == pytest.approx(probe_run['val']['acc/top1'] * 100)
    assert report['top5'] == pytest.approx(probe_run['val']['acc/top5'] * 100)
    # the tool reports the same on the same cache
    report_path = str(probe_run['root'] / 'probe.json')
    tool_report = _tool('linear_probe', [
        out, '--out', report_path, '--epochs', str(EPOCHS), '--lr', str(LR),
        '--batch-size', str(FULL_BATCH), '--no-standardize',
        '--num-classes', '8'])
    with open(report_path) as f:
        assert json.load(f) == tool_report
    assert tool_report['top1'] == report['top1']
    assert tool_report['checkpoint'] == osp.abspath(probe_run['ckpt'])


def test_tools_end_to_end_with_random_init(synthmotion, tmp_path):
    out = str(tmp_path / 'cache')
    _tool('extract_features', [
        VCOP_TINY, 'none', '--out', out, '--num-clips', '2', '--shard-size',
        '10', '--num-workers', '0', '--data-root', synthmotion])
    report_path = str(tmp_path / 'probe.json')
    _tool('linear_probe', [out, '--out', report_path,
                           '--expect-checkpoint', 'none'])
    with open(report_path) as f:
        report = json.load(f)
    assert report['checkpoint'] == 'none' and report['num_classes'] == 8
    assert 0 <= report['top1'] <= report['top5'] <= 100
    assert report['num_train'] == 16 and report['num_val'] == 8
    # a cache from another checkpoint: one line naming meta.json
    other = tiny_checkpoint(str(tmp_path / 'other.pth'))
    result = _run(['tools/analysis_tools/linear_probe.py', out,
                   '--expect-checkpoint', other], check=False)
    assert result.returncode != 0
    assert 'FeatureCacheMismatch' in result.stderr
    assert osp.join(out, 'meta.json') in result.stderr
