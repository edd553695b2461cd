"""UCF101 (Soomro et al. 2012): the three official train/test splits.

Official files (``UCF101TrainTestSplits-RecognitionTask.zip``, folder
``ucfTrainTestlist/``):

- ``classInd.txt``: ``'<1-based index> <ClassName>'`` lines, 101 classes;
- ``trainlist0{1,2,3}.txt``: ``'<ClassName>/<video>.avi <1-based label>'``;
- ``testlist0{1,2,3}.txt``: ``'<ClassName>/<video>.avi'``.

Lists (MMAction2's ``tools/data/ucf101`` names):
``ucf101_{train,val}_split_{1,2,3}_videos.txt`` with
``'<ClassName>/<video>.avi <label>'``, label = classInd index - 1.
"""
import os.path as osp
from typing import Dict, List

from ..errors import AnnotationError
from .common import (Entry, VideoList, find_official_file, parse_int,
                     read_official_lines)

SPLITS = (1, 2, 3)
NUM_CLASSES = 101
SOURCE = ('the official UCF101 split files (UCF101TrainTestSplits-'
          'RecognitionTask.zip from https://www.crcv.ucf.edu/data/UCF101.php)')


def ann_dir_candidates(root: str) -> List[str]:
    """Official folder name first, then MMAction2's ``annotations/``."""
    return [osp.join(root, 'ucfTrainTestlist'), osp.join(root, 'annotations')]


def read_class_index(path: str) -> Dict[str, int]:
    """``{ClassName: 0-based label}`` from ``classInd.txt``.

    Raises:
        AnnotationError: A line is not ``'<index> <name>'``, the indices are
            not 1, 2, 3, ... in order, or a name repeats.
    """
    classes = {}
    for lineno, text in read_official_lines(path):
        where = f'{path}:{lineno}'
        fields = text.split()
        if len(fields) != 2:
            raise AnnotationError(
                f'{where}: expected "<index> <ClassName>", got {text!r}')
        index = parse_int(fields[0], where, 'the class index')
        if index != len(classes) + 1:
            raise AnnotationError(
                f'{where}: class index {index}, expected {len(classes) + 1} '
                '(indices run 1, 2, 3, ... in order)')
        if fields[1] in classes:
            raise AnnotationError(f'{where}: class {fields[1]!r} repeats')
        classes[fields[1]] = index - 1
    if not classes:
        raise AnnotationError(f'{path}: no classes')
    return classes


def read_split_file(path: str, classes: Dict[str, int]) -> List[Entry]:
    """Entries of a ``trainlist0k.txt`` / ``testlist0k.txt``.

    The class is the folder of the path; a label given on the line (train
    lists) must agree with ``classInd.txt``.

    Raises:
        AnnotationError: Malformed line, unknown class, disagreeing label.
    """
    entries = []
    for lineno, text in read_official_lines(path):
        where = f'{path}:{lineno}'
        fields = text.split()
        if len(fields) not in (1, 2) or '/' not in fields[0]:
            raise AnnotationError(
                f'{where}: expected "<ClassName>/<video>.avi [label]", got '
                f'{text!r}')
        video = fields[0]
        class_name = video.split('/', 1)[0]
        if class_name not in classes:
            raise AnnotationError(
                f'{where}: unknown class {class_name!r} (not in classInd.txt)')
        label = classes[class_name]
        if len(fields) == 2:
            given = parse_int(fields[1], where, 'the label')
            if given - 1 != label:
                raise AnnotationError(
                    f'{where}: label {given} disagrees with classInd.txt, '
                    f'where {class_name!r} is {label + 1}')
        entries.append((video, label))
    return entries


def build_ucf101_lists(root: str,
                       ann_dir: str = None,
                       video_dir: str = None) -> List[VideoList]:
    """The six UCF101 lists (train/val of splits 1-3).

    Args:
        root (str): Dataset root (``data/ucf101``).
        ann_dir (str, optional): Folder of the official split files.
        video_dir (str, optional): ``<root>/videos`` by default.

    Returns:
        list[VideoList]
    """
    ann_dir = ann_dir or find_official_file(
        ann_dir_candidates(root), f'the folder of {SOURCE}')
    video_dir = video_dir or osp.join(root, 'videos')

    def official(name):
        return find_official_file([osp.join(ann_dir, name)],
                                  f'{name} of {SOURCE}')

    classes = read_class_index(official('classInd.txt'))
    lists = []
    for split in SPLITS:
        for subset, official_name in (('train', 'trainlist'),
                                      ('val', 'testlist')):
            entries = read_split_file(
                official(f'{official_name}{split:02d}.txt'), classes)
            lists.append(
                VideoList(f'ucf101_{subset}_split_{split}_videos.txt',
                          entries, video_dir))
    return lists
