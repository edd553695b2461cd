"""Class-balanced, nested subsets of a video list (dataset-size analysis).

Example::

    # K400-10k within 30k within 50k within 100k (the study's Sec. 4.1)
    python tools/data/make_subsets.py \
        data/kinetics400/kinetics400_train_list_videos.txt \
        --sizes 10k 30k 50k 100k --seed 0
    # -> data/kinetics400/kinetics400_train_{10k,30k,50k,100k}_list_videos.txt
    #    + subsets.json (per subset: videos, per-class min/max, nesting)

    # the embedded dataset: 4, 8 and 16 videos of each of its 8 classes
    python tools/data/make_subsets.py data/synthmotion/train_list.txt \
        --sizes 32 64 128 --classes data/synthmotion/classes.txt \
        --out-dir work_dirs/subsets

Every subset has ``size / num_classes`` videos of every class; a smaller
subset is a strict subset of each larger one; the same list, sizes and
``--seed`` give the same subsets (:mod:`mmssl.datasets.subsets`). A class
with too few videos for a requested size is an error naming the subset, the
per-class quota and each short class with its count
(``--allow-short-classes``: such a class gives all it has). Output names:
``<stem>_<size>.txt``, or ``<head>_<size>_list_videos.txt`` for MMAction2's
``<head>_list_videos.txt`` lists (the names dataset configs read), or
``--name`` with ``{stem}`` / ``{size}``.
"""
import argparse
import os.path as osp
import sys

from tqdm import tqdm

from mmssl.datasets.errors import AnnotationError
from mmssl.datasets.list_builders.common import write_list
from mmssl.datasets.list_builders.subsets import parse_subset_size
from mmssl.datasets.subsets import (SubsetError, draw_nested_subsets,
                                    read_class_names, read_video_list,
                                    summarise_subsets)
from mmssl.utils.json_report import emit_json_report

MMACTION2_SUFFIX = '_list_videos'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Class-balanced nested subsets of a video list')
    parser.add_argument('ann_file', help="'<path> <label>' video list")
    parser.add_argument(
        '--sizes', nargs='+', required=True,
        help='subset sizes in videos, e.g. 10k 30k 50k 100k (10k = 10000); '
        'each a multiple of the number of classes')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out-dir',
                        help='where to write (default: beside the list)')
    parser.add_argument('--name', help='output name template with {stem} '
                        'and {size}')
    parser.add_argument('--classes', help='class names, one per line')
    parser.add_argument('--num-classes', type=int,
                        help='default: number of class names, or largest '
                        'label + 1')
    parser.add_argument('--allow-short-classes', action='store_true',
                        help='a class with too few videos gives all it has '
                        '(that subset is then smaller) instead of an error')
    parser.add_argument('--report', help='JSON report (default: '
                        '<out-dir>/subsets.json)')
    return parser.parse_args(argv)


def output_name(ann_file: str, size: str, template: str = None) -> str:
    """File name of the ``size`` subset of ``ann_file``."""
    stem = osp.splitext(osp.basename(ann_file))[0]
    if template:
        return template.format(stem=stem, size=size)
    if stem.endswith(MMACTION2_SUFFIX):
        return f'{stem[:-len(MMACTION2_SUFFIX)]}_{size}{MMACTION2_SUFFIX}.txt'
    return f'{stem}_{size}.txt'


def main(argv=None) -> dict:
    args = parse_args(argv)
    entries = read_video_list(args.ann_file)
    names = read_class_names(args.classes) if args.classes else None
    sizes = {size: parse_subset_size(size) for size in args.sizes}
    subsets = draw_nested_subsets(entries, sizes, args.num_classes,
                                  args.seed, names, args.allow_short_classes,
                                  source=args.ann_file)
    num_classes = args.num_classes or (len(names) if names else
                                       max(label for _, label in entries) + 1)
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.ann_file))
    summary = summarise_subsets(subsets, num_classes)
    for name in tqdm(subsets, desc='writing subsets'):
        path = osp.join(out_dir, output_name(args.ann_file, name, args.name))
        write_list(path, subsets[name])
        summary[name]['path'] = path
    report = dict(
        source=args.ann_file, source_videos=len(entries),
        num_classes=num_classes, seed=args.seed,
        allow_short_classes=args.allow_short_classes, subsets=summary)
    return emit_json_report(
        report, args.report or osp.join(out_dir, 'subsets.json'))


if __name__ == '__main__':
    try:
        main()
    except (AnnotationError, SubsetError, FileNotFoundError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
