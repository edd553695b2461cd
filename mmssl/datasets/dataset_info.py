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


def _mmaction2_layout(name: str, num_classes: int, three_splits: bool,
                      **extra) -> dict:
    """Entry of a dataset in MMAction2's layout under ``<data_root>/<name>``:
    ``<name>_{train,val}_split_{k}_videos.txt`` lists for datasets with
    three official splits, ``<name>_{train,val}_list_videos.txt`` else."""
    lists = '_split_{split}_videos.txt' if three_splits else \
        '_list_videos.txt'
    info = dict(
        num_classes=num_classes,
        splits=(1, 2, 3) if three_splits else (1, ),
        train=f'{name}/{name}_train{lists}',
        val=f'{name}/{name}_val{lists}',
        videos=f'{name}/videos',
        docs=f'docs/datasets/{name}.md',
        builder=f'tools/data/{name}/build_lists.py')
    info.update(extra)
    return info


# Per dataset: num_classes; splits (official split numbers); train / val
# list templates ({split}, {subset}) and the video folders their paths are
# relative to (``videos``; ``val_videos`` where the val videos lie
# elsewhere), all under data_root; docs page; builder script.
DATASETS = {
    'ucf101': _mmaction2_layout('ucf101', 101, three_splits=True),
    'hmdb51': _mmaction2_layout('hmdb51', 51, three_splits=True),
    'diving48': _mmaction2_layout('diving48', 48, three_splits=False),
    'sthv2': _mmaction2_layout('sthv2', 174, three_splits=False),
    'kinetics400': _mmaction2_layout(
        'kinetics400',
        400,
        three_splits=False,
        subsets=('10k', '30k', '50k', '100k'),
        train_subset='kinetics400/kinetics400_train_{subset}_list_videos.txt',
        videos='kinetics400/videos_train',
        val_videos='kinetics400/videos_val'),
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
