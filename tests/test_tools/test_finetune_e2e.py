"""Fine-tuning protocol end to end (issue 9, protocol 1), tiny settings.

A tiny pretrained checkpoint (the VCOP tiny model's weights, `backbone.` and
`head.` keys) -> tools/train.py fine-tunes the tiny SynthMotion recognizer
for one epoch from it (load_from) -> tools/test.py tests the result with
2 uniformly spaced clips x 3 crops per video; the dumped video scores equal
a hand computation: the mean over the 6 views of the softmax of each view's
logits.
"""
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from tool_modules import run_tool

from mmssl.registry import MODELS, TRANSFORMS
from mmssl.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FINETUNE = 'configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py'
PRETRAIN = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'
NO_WORKERS = [
    f'{loader}.{key}' for loader in ('train_dataloader', 'val_dataloader',
                                     'test_dataloader')
    for key in ('num_workers=0', 'persistent_workers=False')
]
# 2 clips x ThreeCrop: frames resized to 48x32, three 32x32 crops along W
MULTI_VIEW = [
    'test_dataloader.dataset.pipeline.1.num_clips=2',
    'test_dataloader.dataset.pipeline.3.scale=(48,32)',
    'test_dataloader.dataset.pipeline.3.keep_ratio=False',
    'test_dataloader.dataset.pipeline.4.type=ThreeCrop',
]


run = run_tool


def pretrained_checkpoint(path):
    """The tiny VCOP model's weights (seeded init) as an mmssl checkpoint."""
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    torch.manual_seed(123)
    model = MODELS.build(Config.fromfile(osp.join(REPO, PRETRAIN)).model)
    model.init_weights()
    torch.save(dict(meta=dict(epoch=40), state_dict=model.state_dict()),
               path)
    return model.state_dict()


@pytest.fixture(scope='module')
def finetuned(synthmotion, tmp_path_factory):
    work = tmp_path_factory.mktemp('finetune')
    ckpt = str(work / 'pretrained.pth')
    pretrained = pretrained_checkpoint(ckpt)
    log = run([
        'tools/train.py', FINETUNE, '--work-dir', str(work), '--data-root',
        synthmotion, '--cfg-options', f'load_from={ckpt}',
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=5', *NO_WORKERS
    ])
    return dict(work=work, log=log, pretrained=pretrained, root=synthmotion,
                ckpt=str(work / 'epoch_1.pth'))


def test_finetune_starts_from_the_pretrained_backbone(finetuned):
    log = finetuned['log']
    assert 'Load checkpoint from' in log
    # the pretext head is not part of the recognizer: its keys are
    # unexpected; the new classification head is the only missing part
    assert 'unexpected key in source state_dict: head.' in log
    missing = log.split('missing keys in source state_dict: ')[1].split()[0]
    assert missing.startswith('cls_head.') and 'backbone.' not in missing
    tuned = torch.load(finetuned['ckpt'], map_location='cpu',
                       weights_only=False)['state_dict']
    key = 'backbone.conv1.conv.weight'
    start = finetuned['pretrained'][key]
    # two SGD steps move the weights a little; a random init is far away
    step = (tuned[key] - start).abs().max()
    assert 0 < step < 0.1 * start.abs().max()


def test_multi_view_test_averages_view_probabilities(finetuned, tmp_path):
    dump = str(tmp_path / 'preds.pkl')
    log = run([
        'tools/test.py', FINETUNE, finetuned['ckpt'], '--work-dir',
        str(tmp_path), '--data-root', finetuned['root'], '--dump', dump,
        '--cfg-options', *MULTI_VIEW, *NO_WORKERS
    ])
    assert 'acc/top1' in log
    with open(dump, 'rb') as f:
        dumped = pickle.load(f)

    # hand computation: every view of every val video on its own
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    cfg = Config.fromfile(osp.join(REPO, FINETUNE))
    model = MODELS.build(cfg.model).eval()
    state = torch.load(finetuned['ckpt'], map_location='cpu',
                       weights_only=False)['state_dict']
    model.load_state_dict(state)
    pipeline = cfg.test_dataloader.dataset.pipeline
    pipeline[1]['num_clips'] = 2
    pipeline[3].update(scale=(48, 32), keep_ratio=False)
    pipeline[4] = dict(type='ThreeCrop', crop_size=32)
    pipeline = Compose([TRANSFORMS.build(t) for t in pipeline])
    root = finetuned['root']
    with open(osp.join(root, 'val_list.txt')) as f:
        videos = [line.split() for line in f if line.strip()]
    assert len(dumped) == len(videos)
    for (name, label), result in zip(videos, dumped):
        packed = pipeline(
            dict(filename=osp.join(root, name), label=int(label),
                 start_index=0, modality='RGB'))
        views = packed['inputs'].float()
        assert tuple(views.shape[:3]) == (6, 3, 8)  # 2 clips x 3 crops
        probs = []
        with torch.no_grad():
            for view in views:
                data = model.data_preprocessor(
                    dict(inputs=[view[None]], data_samples=None))
                scores, _ = model.extract_feat(
                    data['inputs'], stage='head')
                logits = scores[0].numpy().astype(np.float64)
                exp = np.exp(logits - logits.max())
                probs.append(exp / exp.sum())
        score = result['pred_scores']['item']
        score = score.numpy() if torch.is_tensor(score) else score
        assert np.asarray(score) == pytest.approx(np.mean(probs, 0),
                                                  abs=1e-5)
        assert int(np.asarray(result['gt_labels']['item']).ravel()[0]) == \
            int(label)
