"""HMDB51 (Kuehne et al. 2011): the three official 70/30 splits.

Official files (``test_train_splits.rar``, folder
``testTrainMulti_7030_splits/``): per class and split
``<class>_test_split{1,2,3}.txt`` with ``'<video>.avi <flag>'`` lines, flag
1 = train, 2 = test, 0 = not used in that split.

Lists (MMAction2's ``tools/data/hmdb51`` names):
``hmdb51_{train,val}_split_{1,2,3}_videos.txt`` with
``'<class>/<video>.avi <label>'``; the label is the class's index in the
alphabetically sorted class names (MMAction2 sorts the video folders).
"""
import os
import os.path as osp
import re
from typing import Dict, List

from ..errors import AnnotationError
from .common import (VideoList, find_official_file, parse_int,
                     read_official_lines)

SPLITS = (1, 2, 3)
# The 51 class folder names of the official release, sorted (= the labels).
HMDB51_CLASSES = (
    'brush_hair', 'cartwheel', 'catch', 'chew', 'clap', 'climb',
    'climb_stairs', 'dive', 'draw_sword', 'dribble', 'drink', 'eat',
    'fall_floor', 'fencing', 'flic_flac', 'golf', 'handstand', 'hit', 'hug',
    'jump', 'kick', 'kick_ball', 'kiss', 'laugh', 'pick', 'pour', 'pullup',
    'punch', 'push', 'pushup', 'ride_bike', 'ride_horse', 'run',
    'shake_hands', 'shoot_ball', 'shoot_bow', 'shoot_gun', 'sit', 'situp',
    'smile', 'smoke', 'somersault', 'stand', 'swing_baseball', 'sword',
    'sword_exercise', 'talk', 'throw', 'turn', 'walk', 'wave')
SOURCE = ('the official HMDB51 split files (test_train_splits.rar from '
          'https://serre-lab.clps.brown.edu/resource/hmdb-a-large-human-'
          'motion-database-of-51-action-categories/)')
SPLIT_FILE = re.compile(r'^(?P<cls>.+)_test_split(?P<split>\d+)\.txt$')
FLAGS = {'0': None, '1': 'train', '2': 'val'}


def ann_dir_candidates(root: str) -> List[str]:
    """Official folder name first, then MMAction2's ``annotations/``."""
    return [
        osp.join(root, 'testTrainMulti_7030_splits'),
        osp.join(root, 'annotations')
    ]


def find_split_files(ann_dir: str) -> Dict[tuple, str]:
    """``{(class, split): path}`` of every split file in ``ann_dir``.

    Raises:
        AnnotationError: A split file names a class HMDB51 does not have.
        OfficialFileMissing: A class lacks one of its three split files.
    """
    find_official_file([ann_dir], f'the folder of {SOURCE}')
    found = {}
    for name in sorted(os.listdir(ann_dir)):
        match = SPLIT_FILE.match(name)
        if not match:
            continue
        path = osp.join(ann_dir, name)
        if match['cls'] not in HMDB51_CLASSES:
            raise AnnotationError(
                f'{path}: unknown class {match["cls"]!r} (HMDB51 has '
                f'{len(HMDB51_CLASSES)} classes: {", ".join(HMDB51_CLASSES)})')
        found[(match['cls'], int(match['split']))] = path
    for class_name in HMDB51_CLASSES:
        for split in SPLITS:
            if (class_name, split) not in found:
                find_official_file(
                    [osp.join(ann_dir, f'{class_name}_test_split{split}.txt')],
                    f'a split file of {SOURCE}')
    return found


def read_split_file(path: str) -> Dict[str, List[str]]:
    """``{'train': [videos], 'val': [videos]}`` of one class split file.

    Raises:
        AnnotationError: A line is not ``'<video>.avi <0|1|2>'``.
    """
    subsets = {'train': [], 'val': []}
    for lineno, text in read_official_lines(path):
        where = f'{path}:{lineno}'
        fields = text.split()
        if len(fields) != 2:
            raise AnnotationError(
                f'{where}: expected "<video>.avi <0|1|2>", got {text!r}')
        parse_int(fields[1], where, 'the split flag')
        if fields[1] not in FLAGS:
            raise AnnotationError(
                f'{where}: split flag {fields[1]!r} is not 0 (unused), 1 '
                '(train) or 2 (test)')
        if FLAGS[fields[1]]:
            subsets[FLAGS[fields[1]]].append(fields[0])
    return subsets


def build_hmdb51_lists(root: str,
                       ann_dir: str = None,
                       video_dir: str = None) -> List[VideoList]:
    """The six HMDB51 lists (train/val of splits 1-3).

    Args:
        root (str): Dataset root (``data/hmdb51``).
        ann_dir (str, optional): Folder of the official split files.
        video_dir (str, optional): ``<root>/videos`` by default.

    Returns:
        list[VideoList]
    """
    ann_dir = ann_dir or find_official_file(
        ann_dir_candidates(root), f'the folder of {SOURCE}')
    video_dir = video_dir or osp.join(root, 'videos')
    split_files = find_split_files(ann_dir)
    lists = []
    for split in SPLITS:
        subsets = {'train': [], 'val': []}
        for label, class_name in enumerate(HMDB51_CLASSES):
            videos = read_split_file(split_files[(class_name, split)])
            for subset, names in videos.items():
                subsets[subset] += [(f'{class_name}/{name}', label)
                                    for name in names]
        for subset in ('train', 'val'):
            lists.append(
                VideoList(f'hmdb51_{subset}_split_{split}_videos.txt',
                          subsets[subset], video_dir))
    return lists
