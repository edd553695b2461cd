"""mmssl.datasets.dataset_info: the paths of the evaluation contract, the
shipped base dataset configs, and the builders' list names agree."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

from mmssl.datasets.dataset_info import DATASETS, list_paths
from mmssl.datasets.list_builders import HMDB51_CLASSES

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_contract_paths():
    assert list_paths('ucf101', 3) == dict(
        train='data/ucf101/ucf101_train_split_3_videos.txt',
        val='data/ucf101/ucf101_val_split_3_videos.txt',
        data_prefix='data/ucf101/videos',
        train_data_prefix='data/ucf101/videos',
        val_data_prefix='data/ucf101/videos',
        num_classes=101)
    hmdb = list_paths('hmdb51', 2, data_root='/d')
    assert hmdb['val'] == '/d/hmdb51/hmdb51_val_split_2_videos.txt'
    assert hmdb['data_prefix'] == '/d/hmdb51/videos'
    assert list_paths('diving48')['train'] == \
        'data/diving48/diving48_train_list_videos.txt'
    assert list_paths('sthv2')['val'] == 'data/sthv2/sthv2_val_list_videos.txt'
    k400 = list_paths('kinetics400', subset='100k')
    assert k400['train'] == \
        'data/kinetics400/kinetics400_train_100k_list_videos.txt'
    assert k400['val'] == 'data/kinetics400/kinetics400_val_list_videos.txt'
    assert (k400['train_data_prefix'], k400['val_data_prefix']) == (
        'data/kinetics400/videos_train', 'data/kinetics400/videos_val')
    assert {name: info['num_classes'] for name, info in DATASETS.items()} == {
        'ucf101': 101, 'hmdb51': 51, 'diving48': 48, 'sthv2': 174,
        'kinetics400': 400, 'synthmotion': 8}
    assert len(HMDB51_CLASSES) == DATASETS['hmdb51']['num_classes']


@pytest.mark.parametrize('config, dataset, subset', [
    ('ucf101_split1.py', 'ucf101', None),
    ('hmdb51_split1.py', 'hmdb51', None),
    ('kinetics400_50k.py', 'kinetics400', '50k'),
    ('synthmotion.py', 'synthmotion', None),
])
def test_base_dataset_configs_use_the_same_paths(config, dataset, subset):
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'datasets', config))
    paths = list_paths(dataset, subset=subset)
    assert cfg.ann_file_train == paths['train']
    assert cfg.data_root == paths['train_data_prefix']
    if dataset != 'kinetics400':  # K400 configs query UCF101 for retrieval
        assert cfg.ann_file_val == paths['val']


FINETUNE_DATA = sorted(
    glob.glob(osp.join(REPO, 'configs/_base_/datasets/finetune/*.py')))


@pytest.mark.parametrize('path', FINETUNE_DATA, ids=osp.basename)
def test_finetune_dataset_configs_use_the_same_paths(path):
    """configs/_base_/datasets/finetune/<dataset>[_split<k>].py."""
    match = re.fullmatch(r'(?P<name>[a-z0-9]+?)(_split(?P<split>\d))?\.py',
                         osp.basename(path))
    paths = list_paths(match['name'], int(match['split'] or 1))
    cfg = Config.fromfile(path)
    assert cfg.num_classes == paths['num_classes']
    assert cfg.train_data.ann_file == paths['train']
    assert cfg.train_data.data_prefix.video == paths['train_data_prefix']
    assert cfg.val_data.ann_file == paths['val']
    assert cfg.val_data.data_prefix.video == paths['val_data_prefix']


def test_every_dataset_has_its_docs_and_builder():
    for name, info in DATASETS.items():
        assert osp.isfile(osp.join(REPO, info['docs'])), name
        assert osp.isfile(osp.join(REPO, info['builder'])), name


def test_bad_arguments_are_named():
    with pytest.raises(KeyError, match="unknown dataset 'ucf'.*ucf101"):
        list_paths('ucf')
    with pytest.raises(ValueError, match=r'diving48 has splits \(1,\), not 2'):
        list_paths('diving48', 2)
    with pytest.raises(ValueError, match="train subsets .* not '20k'"):
        list_paths('kinetics400', subset='20k')
    with pytest.raises(ValueError, match='ucf101 has train subsets'):
        list_paths('ucf101', subset='10k')
