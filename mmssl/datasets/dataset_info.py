"""Where each supported dataset's videos and annotation lists live.

The layout is MMAction2's (``data/<dataset>/...``), with the list names the
``tools/data/<dataset>/build_lists.py`` scripts write (docs/datasets/).
Paths are relative to the directory that holds ``data/`` (the repository
root by default); :func:`list_paths` resolves them for a split.

Example::

    >>> list_paths('hmdb51', split=2)['train']
    'data/hmdb51/hmdb51_train_split_2_videos.txt'
    >>> list_paths('kinetics400', subset='50k')['train']
    'data/kinetics400/kinetics400_train_50k_list_videos.txt'
"""
import os.path as osp
from typing import Optional

# Per dataset: num_classes; splits (official split numbers); train / val
# list templates ({split}, {subset}) and the video folders they are
# relative to, under data_root; docs page; builder script.
DATASETS = {
    'ucf101': dict(
        num_classes=101,
        splits=(1, 2, 3),
        train='ucf101/ucf101_train_split_{split}_videos.txt',
        val='ucf101/ucf101_val_split_{split}_videos.txt',
        videos='ucf101/videos',
        docs='docs/datasets/ucf101.md',
        builder='tools/data/ucf101/build_lists.py'),
    'hmdb51': dict(
        num_classes=51,
        splits=(1, 2, 3),
        train='hmdb51/hmdb51_train_split_{split}_videos.txt',
        val='hmdb51/hmdb51_val_split_{split}_videos.txt',
        videos='hmdb51/videos',
        docs='docs/datasets/hmdb51.md',
        builder='tools/data/hmdb51/build_lists.py'),
    'diving48': dict(
        num_classes=48,
        splits=(1, ),
        train='diving48/diving48_train_list_videos.txt',
        val='diving48/diving48_val_list_videos.txt',
        videos='diving48/videos',
        docs='docs/datasets/diving48.md',
        builder='tools/data/diving48/build_lists.py'),
    'sthv2': dict(
        num_classes=174,
        splits=(1, ),
        train='sthv2/sthv2_train_list_videos.txt',
        val='sthv2/sthv2_val_list_videos.txt',
        videos='sthv2/videos',
        docs='docs/datasets/sthv2.md',
        builder='tools/data/sthv2/build_lists.py'),
    'kinetics400': dict(
        num_classes=400,
        splits=(1, ),
        subsets=('10k', '30k', '50k', '100k'),
        train='kinetics400/kinetics400_train_list_videos.txt',
        train_subset='kinetics400/kinetics400_train_{subset}_list_videos.txt',
        val='kinetics400/kinetics400_val_list_videos.txt',
        videos='kinetics400/videos_train',
        val_videos='kinetics400/videos_val',
        docs='docs/datasets/kinetics400.md',
        builder='tools/data/kinetics400/build_lists.py'),
    'synthmotion': dict(
        num_classes=8,
        splits=(1, ),
        train='synthmotion/train_list.txt',
        val='synthmotion/val_list.txt',
        videos='synthmotion',
        docs='docs/datasets/synthmotion.md',
        builder='tools/data/generate_synthmotion.py'),
}


def list_paths(dataset: str,
               split: int = 1,
               subset: Optional[str] = None,
               data_root: str = 'data') -> dict:
    """Annotation lists and video folders of one split.

    Args:
        dataset (str): A key of :data:`DATASETS`.
        split (int): Official split (1, 2, 3 for UCF101 / HMDB51; 1 for the
            others).
        subset (str, optional): Kinetics-400 train subset (``'10k'``,
            ``'30k'``, ``'50k'``, ``'100k'``); the val list is the full one.
        data_root (str): The folder holding the dataset folders.

    Returns:
        dict: ``train`` and ``val`` list paths; ``data_prefix`` (the folder
        the train list's paths are relative to, which is also the val
        list's for every dataset but Kinetics-400), ``train_data_prefix`` and
        ``val_data_prefix``; ``num_classes``.

    Raises:
        KeyError: Unknown dataset (the message lists the known ones).
        ValueError: A split or subset the dataset does not have.
    """
    if dataset not in DATASETS:
        raise KeyError(f'unknown dataset {dataset!r}; known: '
                       f'{", ".join(DATASETS)}')
    info = DATASETS[dataset]
    if split not in info['splits']:
        raise ValueError(f'{dataset} has splits {info["splits"]}, not '
                         f'{split!r}')
    train = info['train']
    if subset is not None:
        if subset not in info.get('subsets', ()):
            raise ValueError(f'{dataset} has train subsets '
                             f'{info.get("subsets", ())}, not {subset!r}')
        train = info['train_subset']

    def path(template):
        return osp.join(data_root, template.format(split=split, subset=subset))

    return dict(
        train=path(train),
        val=path(info['val']),
        data_prefix=path(info['videos']),
        train_data_prefix=path(info['videos']),
        val_data_prefix=path(info.get('val_videos', info['videos'])),
        num_classes=info['num_classes'])
