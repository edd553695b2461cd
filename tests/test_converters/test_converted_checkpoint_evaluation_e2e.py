"""A converted release goes straight into the evaluation protocols: VCOP's
R3D saved as the authors saved it, converted by
tools/model_converters/convert_checkpoint.py, then evaluated by
tools/analysis_tools/evaluate.py (retrieval, k-NN) with the converter's
target backbone in the tiny SynthMotion VCOP config. The backbone must load
strictly, and the features must be the released weights', not a random
initialisation's."""
import json
import os.path as osp

import torch
from mmengine.config import Config
from released_reference_nets import VCOPResNet, randomise_bn
from tool_modules import run_tool

from mmssl.evaluation.feature_cache import load_feature_cache

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP_TINY = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')


run = run_tool


def released_vcop_r3d(path: str) -> VCOPResNet:
    """VCOP's R3DNet inside VCOPN (tuple length 3), saved like
    ``train_vcop.py`` does: ``torch.save(model.state_dict(), path)``."""
    torch.manual_seed(0)
    net = randomise_bn(VCOPResNet(r21d=False))
    state = {f'base_network.{k}': v for k, v in net.state_dict().items()}
    head = dict(fc7=torch.nn.Linear(1024, 512), fc8=torch.nn.Linear(1536, 6))
    for name, layer in head.items():
        for key, value in layer.state_dict().items():
            state[f'{name}.{key}'] = value
    torch.save(state, path)
    return net


def protocol_config(path: str, backbone: dict) -> str:
    """The tiny SynthMotion VCOP config with ``backbone`` in place of its
    own and 2 retrieval clips per video, written to ``path``."""
    cfg = Config.fromfile(VCOP_TINY)
    cfg.model.backbone = backbone
    for dataset in cfg.test_dataloader.dataset.datasets:
        for step in dataset.pipeline:
            if step.type == 'SampleFrames':
                step.num_clips = 2
    cfg.test_dataloader.num_workers = 0
    cfg.dump(path)
    return path


def test_converted_release_goes_through_retrieval_and_knn(
        synthmotion, tmp_path):
    src = str(tmp_path / 'vcop_r3d_ucf101.pt')
    released_vcop_r3d(src)
    dst = str(tmp_path / 'converted' / 'vcop_r3d.pth')
    log = run(['tools/model_converters/convert_checkpoint.py', 'vcop-r3d',
               src, dst])
    assert f'wrote {dst}' in log
    backbone = torch.load(dst, weights_only=True)['meta']['backbone']
    config = protocol_config(str(tmp_path / 'vcop_r3d_released.py'),
                             backbone)

    reports, logs, feats = {}, {}, {}
    for name, weights in (('converted', dst), ('none', 'none')):
        work_dir = str(tmp_path / f'eval_{name}')
        logs[name] = run([
            'tools/analysis_tools/evaluate.py', config, weights,
            '--protocols', 'retrieval,knn', '--work-dir', work_dir,
            '--data-root', synthmotion
        ])
        with open(osp.join(work_dir, 'evaluation.json')) as f:
            reports[name] = json.load(f)
        feats[name] = load_feature_cache(
            osp.join(work_dir, 'features'), 'val', expect_checkpoint=weights)

    report = reports['converted']
    assert report['checkpoint'] == dst
    assert sorted(report['results']) == ['knn', 'retrieval']
    assert {r['protocol'] for r in report['table']} == {'retrieval', 'knn'}
    for word in ('missing', 'unexpected', 'mismatch', 'Traceback'):
        assert word not in logs['converted'], logs['converted'][-4000:]
    # the backbone was loaded from the converted file, strictly
    val_feats, _, meta = feats['converted']
    assert meta['evaluated'].startswith(
        f'Evaluating checkpoint {osp.abspath(dst)}')
    assert meta['evaluated'].endswith('backbone loaded strictly')
    assert feats['none'][2]['evaluated'].startswith(
        'Evaluating a randomly initialised model')
    # the converter's target backbone (512-d), fed the released weights
    assert val_feats.shape[1] == 512 == feats['none'][0].shape[1]
    assert torch.isfinite(val_feats).all()
    assert not torch.allclose(val_feats, feats['none'][0], atol=1e-3)
