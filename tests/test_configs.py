"""Every config parses and its model builds (tiny forward for CPU configs)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules
from mmssl.utils.config_validation import (check_registered_types,
                                           check_schedule_fits)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p)


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS])
def test_config_builds_model(path):
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(path)
    assert cfg.get('default_scope') == 'mmssl', f'{path}: default_scope'
    check_registered_types(cfg)
    check_schedule_fits(cfg)
    init_default_scope('mmssl')
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0
    if 'train_dataloader' in cfg:
        pipeline = cfg.train_dataloader.dataset.get('pipeline', [])
        types = [t['type'] for t in pipeline]
        assert types, f'{path}: empty train pipeline'
