"""Kinetics-400 lists and nested subsets (docs/datasets/kinetics400.md).

Example::

    python tools/data/kinetics400/build_lists.py --root data/kinetics400 \
        --check-videos --subsets 10k,30k,50k,100k --seed 0

Reads ``train.csv`` and ``validate.csv`` (in ``<root>/annotations``,
``<root>/kinetics400`` or ``<root>``; MMAction2's ``kinetics_{train,val}.csv``
names too) and writes ``kinetics400_{train,val}_list_videos.txt``
('<class>/<youtube_id>_<start:06d>_<end:06d>.mp4 <label>', paths relative to
``<root>/videos_{train,val}``) and the class-balanced nested subsets
``kinetics400_train_{10k,30k,50k,100k}_list_videos.txt`` of the train list
(of its videos that exist, with ``--check-videos``).
"""
import sys

from mmssl.datasets.list_builders import (build_kinetics400_lists,
                                          subset_lists)
from mmssl.datasets.list_builders.cli import base_parser, run_builder
from mmssl.datasets.list_builders.kinetics400 import DEFAULT_SUBSETS


def main(argv=None) -> int:
    parser = base_parser(
        'kinetics400', __doc__.splitlines()[0], video_dir_option=False)
    parser.add_argument(
        '--subsets',
        default=','.join(DEFAULT_SUBSETS),
        help='comma-separated subset sizes (10k = 10000 videos), each a '
        'multiple of the number of classes; "" for none')
    parser.add_argument(
        '--seed', type=int, default=0, help='subset selection seed')
    parser.add_argument(
        '--allow-short-classes',
        action='store_true',
        help='a class with fewer videos than a subset\'s per-class quota '
        'gives all it has (the subset is then smaller) instead of an error')
    parser.add_argument(
        '--flat',
        action='store_true',
        help='videos lie directly in videos_{train,val}/ (the CVDF '
        'archives), not in class folders: list paths without the folder')
    num_classes = {}

    def build(args):
        lists, classes = build_kinetics400_lists(args.root, args.ann_dir,
                                                 args.flat)
        num_classes['train'] = len(classes)
        return lists

    def derive(args, lists):
        names = [n.strip() for n in args.subsets.split(',') if n.strip()]
        if not names:
            return []
        return subset_lists(lists[0], num_classes['train'], names, args.seed,
                            args.allow_short_classes)

    return run_builder(parser, build, argv, derive)


if __name__ == '__main__':
    sys.exit(main())
