"""Turn official split / annotation files into MMAction2 video lists
(``tools/data/<dataset>/build_lists.py``; docs/datasets/)."""
from .common import OfficialFileMissing, VideoList, write_list
from .diving48 import build_diving48_lists
from .hmdb51 import HMDB51_CLASSES, build_hmdb51_lists
from .kinetics400 import build_kinetics400_lists, subset_lists
from .sthv2 import build_sthv2_lists
from .subsets import (SubsetError, class_balanced_nested_subsets,
                      parse_subset_size)
from .ucf101 import build_ucf101_lists

__all__ = [
    'OfficialFileMissing', 'VideoList', 'write_list', 'build_ucf101_lists',
    'build_hmdb51_lists', 'HMDB51_CLASSES', 'build_diving48_lists',
    'build_sthv2_lists', 'build_kinetics400_lists', 'subset_lists',
    'SubsetError', 'class_balanced_nested_subsets', 'parse_subset_size'
]
