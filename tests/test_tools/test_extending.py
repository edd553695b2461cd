"""A user-defined algorithm in the user's own module, pulled in with
``custom_imports`` and trained by tools/train.py (docs/extending.md)."""
import os
import os.path as osp
import subprocess
import sys
import textwrap

from video_fixtures import synthmotion_cfg_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

USER_MODULE = '''
import torch
import torch.nn as nn

from mmssl.models.algorithms import BaseSSLAlgorithm
from mmssl.registry import MODELS


@MODELS.register_module()
class FeatureNormRegression(BaseSSLAlgorithm):
    """Toy method: regress each clip's mean intensity from its features."""

    def __init__(self, feat_dim, **kwargs):
        super().__init__(**kwargs)
        self.regressor = nn.Linear(feat_dim, 1)

    def loss(self, inputs, data_samples):
        feats = self.pooled_features(inputs)            # (B, V, D)
        target = inputs.mean(dim=(2, 3, 4, 5))          # (B, V)
        pred = self.regressor(feats).squeeze(-1)
        return dict(loss_toy=torch.mean((pred - target) ** 2))
'''

USER_CONFIG = '''
_base_ = ['{base}']
custom_imports = dict(imports=['my_ssl_method'], allow_failed_imports=False)
model = dict(
    _delete_=True,
    type='FeatureNormRegression',
    feat_dim=128,
    backbone={{{{_base_.model.backbone}}}})
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='VCOPSampleClips', clip_len=4, num_clips=2, clip_interval=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(max_epochs=1)
'''


def test_custom_algorithm_via_custom_imports(synthmotion, tmp_path):
    user_dir = tmp_path / 'user_code'
    user_dir.mkdir()
    (user_dir / 'my_ssl_method.py').write_text(USER_MODULE)
    base = osp.join(
        REPO,
        'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')
    config = user_dir / 'my_method_config.py'
    config.write_text(textwrap.dedent(USER_CONFIG.format(base=base)))
    env = dict(os.environ, PYTHONPATH=f'{user_dir}{os.pathsep}{REPO}')
    out = subprocess.run([
        sys.executable, 'tools/train.py',
        str(config), '--work-dir',
        str(tmp_path / 'work'), '--cfg-options',
        *synthmotion_cfg_options(synthmotion),
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'default_hooks.logger.interval=1'
    ],
                         cwd=REPO,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    assert 'loss_toy:' in log
    assert osp.isfile(tmp_path / 'work' / 'epoch_1.pth')
