"""Qualitative retrieval gallery from a feature cache (PNG + JSON).

Example::

    python tools/analysis_tools/extract_features.py CONFIG CKPT --out DIR
    python tools/analysis_tools/retrieval_gallery.py DIR --k 5 --queries 8 \
        --classes data/synthmotion/classes.txt --out-dir work_dirs/gallery

Queries are ``val`` videos (one per class, drawn with ``--seed``, up to
``--queries``), the gallery is the ``train`` split, neighbours are ranked
by cosine similarity of the cached video features
(:func:`mmssl.evaluation.functional.topk_neighbours`, the retrieval
protocol's search). Each row shows ``--frames`` evenly spaced frames of the
query and the middle frame of each of its top-k neighbours, framed green
when the neighbour has the query's class, red otherwise. Videos are read
from the paths stored in the cache (``--video-root`` re-roots them).
"""
import argparse
import json
import os.path as osp
import sys

import torch
from tqdm import tqdm

from mmssl.datasets.subsets import read_class_names
from mmssl.evaluation.feature_cache import (FeatureCacheMismatch,
                                            load_feature_cache)
from mmssl.evaluation.functional.retrieval import topk_neighbours
from mmssl.utils.json_report import emit_json_report
from mmssl.visualization.retrieval_gallery import (draw_retrieval_gallery,
                                                   preview_frames)
from mmssl.visualization.selection import one_per_class


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Query clips and their top-k neighbours (PNG + JSON)')
    parser.add_argument('cache', help='directory of extract_features.py')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--k', type=int, default=5)
    parser.add_argument('--queries', type=int, default=8)
    parser.add_argument('--frames', type=int, default=4,
                        help='frames shown per query')
    parser.add_argument('--classes', help='class names, one per line')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--video-root', nargs=2, metavar=('OLD', 'NEW'),
                        help='replace the path prefix OLD of the cached '
                        'video paths by NEW')
    parser.add_argument('--title', default='')
    return parser.parse_args(argv)


def cache_filenames(cache: str, split: str) -> list:
    """Video paths of one split of a feature cache, in feature order."""
    with open(osp.join(cache, 'meta.json')) as f:
        shards = json.load(f)['splits'][split]['shards']
    names = []
    for shard in shards:
        names += torch.load(osp.join(cache, shard), map_location='cpu',
                            weights_only=True)['filenames']
    return names


def main(argv=None) -> dict:
    args = parse_args(argv)
    gallery, gallery_labels, meta = load_feature_cache(args.cache, 'train')
    query, query_labels, _ = load_feature_cache(args.cache, 'val')
    gallery_files = cache_filenames(args.cache, 'train')
    query_files = cache_filenames(args.cache, 'val')

    def path(name):
        if args.video_root and name.startswith(args.video_root[0]):
            return args.video_root[1] + name[len(args.video_root[0]):]
        return name

    names = read_class_names(args.classes) if args.classes else None
    chosen = one_per_class(query_labels.numpy(), args.queries, args.seed)
    indices, sims = topk_neighbours(query[chosen], gallery, args.k)
    rows, records = [], []
    for row, q in enumerate(tqdm(chosen, desc='reading clips')):
        label = int(query_labels[q])
        hits = []
        for rank in range(indices.shape[1]):
            g = int(indices[row, rank])
            frames = preview_frames(path(gallery_files[g]), 3)
            hits.append(dict(frame=frames[1], label=int(gallery_labels[g]),
                             similarity=float(sims[row, rank]),
                             correct=int(gallery_labels[g]) == label,
                             video=gallery_files[g]))
        rows.append(dict(query_frames=preview_frames(path(query_files[q]),
                                                     args.frames),
                         query_label=label, neighbours=hits))
        records.append(dict(
            query=query_files[q], label=label,
            neighbours=[{k: v for k, v in h.items() if k != 'frame'}
                        for h in hits]))
    png = osp.join(args.out_dir, 'retrieval_gallery.png')
    draw_retrieval_gallery(
        rows, png, names, args.title or
        f'top-{indices.shape[1]} neighbours (cosine), '
        f'{osp.basename(str(meta.get("checkpoint")))}')
    correct = [h['correct'] for r in records for h in r['neighbours']]
    report = dict(
        cache=args.cache, checkpoint=meta.get('checkpoint'),
        config=meta.get('config'), k=int(indices.shape[1]),
        num_queries=len(records), seed=args.seed,
        precision_at_k=round(100 * sum(correct) / len(correct), 2),
        hit_at_1=round(100 * sum(r['neighbours'][0]['correct']
                                 for r in records) / len(records), 2),
        queries=records, png=png)
    return emit_json_report(report,
                            osp.join(args.out_dir, 'retrieval_gallery.json'))


if __name__ == '__main__':
    try:
        main()
    except (FeatureCacheMismatch, FileNotFoundError, KeyError,
            ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
