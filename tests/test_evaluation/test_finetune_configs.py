"""Every fine-tuning recipe exists for every downstream dataset/split, and
its lists, video folder and class count are the ones of dataset_info."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FINETUNE = osp.join(REPO, 'configs', 'benchmarks', 'finetune')
RECIPES = ('stclr-ft', 'csvr-ft', 'study-ft', 'vcop-ft', 'prp-ft')
TARGETS = [('ucf101', 1), ('ucf101', 2), ('ucf101', 3), ('hmdb51', 1),
           ('hmdb51', 2), ('hmdb51', 3), ('diving48', None),
           ('sthv2', None)]


def _configs():
    found = {}
    for path in glob.glob(osp.join(FINETUNE, '*-ft_*.py')):
        match = re.match(r'(.+?)_.+_([a-z0-9]+?)(?:-split(\d))?\.py$',
                         osp.basename(path))
        recipe, dataset, split = match.groups()
        found[(recipe, dataset, int(split) if split else None)] = path
    return found


def test_every_recipe_covers_every_dataset_and_split():
    found = _configs()
    missing = [(r, d, s) for r in RECIPES for d, s in TARGETS
               if (r, d, s) not in found]
    assert not missing
    assert len(found) == len(RECIPES) * len(TARGETS)


@pytest.mark.parametrize('key', sorted(_configs()),
                         ids=lambda k: f'{k[0]}-{k[1]}-{k[2]}')
def test_lists_and_classes_follow_dataset_info(key):
    dataset_info = pytest.importorskip('mmssl.datasets.dataset_info')
    recipe, dataset, split = key
    cfg = Config.fromfile(_configs()[key])
    paths = dataset_info.list_paths(dataset, split or 1)
    assert cfg.model.cls_head.num_classes == \
        dataset_info.DATASETS[dataset]['num_classes']
    for loader, list_key in [('train_dataloader', 'train'),
                             ('val_dataloader', 'val'),
                             ('test_dataloader', 'val')]:
        data = cfg[loader].dataset
        assert data.ann_file == paths[list_key], loader
        assert data.data_prefix.video == paths['data_prefix'], loader
        assert data.get('test_mode', False) == (loader != 'train_dataloader')
    assert cfg.model.cls_head.average_clips == 'prob'
