"""First run: a SynthMotion config on an empty data root generates its data."""
import os
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmssl.datasets.generate_if_missing import ensure_annotation_list
from mmssl.registry import DATASETS
from mmssl.utils import register_all_modules
from mmssl.utils.config_overrides import apply_overrides

VCOP_TINY = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'
# small but long enough for VCOP's 3 clips x 8 frames at interval 4
TINY = dict(
    variant='default', num_train_per_class=1, num_val_per_class=1,
    num_frames=40, size=(32, 32))


def _tiny_config(repo_root, data_root):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    cfg = apply_overrides(
        Config.fromfile(osp.join(repo_root, VCOP_TINY)), None, data_root)
    cfg.train_dataloader.dataset.generate_if_missing = TINY
    for dataset in cfg.test_dataloader.dataset.datasets:
        dataset.generate_if_missing = TINY
    return cfg


def test_synthmotion_config_generates_on_empty_data_root(tmp_path, repo_root):
    data_root = str(tmp_path / 'fresh')  # does not exist yet
    cfg = _tiny_config(repo_root, data_root)
    # the base config sets the option for every SynthMotion dataset
    base = Config.fromfile(osp.join(repo_root, VCOP_TINY))
    assert base.train_dataloader.dataset.generate_if_missing == 'default'
    assert all(d.generate_if_missing == 'default'
               for d in base.test_dataloader.dataset.datasets)

    train = DATASETS.build(cfg.train_dataloader.dataset)
    assert len(train) == 8  # 8 classes x 1 video
    assert osp.isfile(osp.join(data_root, 'meta.json'))
    sample = train[0]
    assert tuple(sample['inputs'].shape[-3:]) == (8, 32, 32)
    stamp = os.stat(osp.join(data_root, 'train_list.txt')).st_mtime_ns
    test = DATASETS.build(cfg.test_dataloader.dataset)  # found, not redone
    assert len(test) == 16
    assert os.stat(osp.join(data_root,
                            'train_list.txt')).st_mtime_ns == stamp


def test_missing_list_names_generator_command(tmp_path):
    ann = str(tmp_path / 'sm' / 'train_list.txt')
    with pytest.raises(FileNotFoundError) as error:
        ensure_annotation_list(ann, str(tmp_path / 'sm'), None)
    message = str(error.value)
    assert ann in message
    assert ('python tools/data/generate_synthmotion.py --out-dir '
            f'{tmp_path / "sm"}') in message
    assert "generate_if_missing='default'" in message


def test_unknown_variant_is_named(tmp_path):
    with pytest.raises(KeyError, match='no_such_variant.*known'):
        ensure_annotation_list(
            str(tmp_path / 'train_list.txt'), str(tmp_path),
            'no_such_variant')


def test_existing_user_list_is_left_alone(tmp_path):
    ann = tmp_path / 'train_list.txt'
    ann.write_text('a.mp4 0\n')
    ensure_annotation_list(str(ann), str(tmp_path), 'default')
    assert sorted(os.listdir(tmp_path)) == ['train_list.txt']
