"""Embed every video of a folder or list with a (pre)trained backbone.

Example::

    python tools/misc/embed_videos.py \
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py \
        work_dirs/vcop/epoch_40.pth ~/videos --out work_dirs/embeddings

    # an annotation list, clip embeddings too, PyTorch files, 4 workers
    python tools/misc/embed_videos.py CONFIG CKPT data/ucf101/val_list.txt \
        --data-prefix data/ucf101/videos --out DIR --clip-level \
        --format pt --num-workers 4

For each video ``REL`` (its path under the folder, or as written in the
list) it writes ``OUT/REL.npy`` with the video embedding ``(D,)`` (the mean
over the config's test clips x crops, as in the retrieval protocol) and,
with ``--clip-level``, ``OUT/REL.clips.npy`` ``(V, D)``; ``--format pt``
writes one ``OUT/REL.pt`` = ``dict(video=..., clips=...)`` instead.
``OUT/index.json`` lists the videos, their files, the embedding size and
the videos that could not be decoded (skipped with a warning: the batch
it was in is redone one video at a time, then the loader goes on; the exit
status is 1 if any was skipped, 0 otherwise). Videos are decoded once each, in
``--num-workers`` loader processes (:mod:`mmssl.apis`).
"""
import argparse
import json
import os
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import DictAction
from tqdm import tqdm

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.apis import init_model, iter_video_embeddings
from mmssl.apis.tool_logger import tool_logger
from mmssl.apis.video_sources import list_videos
from mmssl.datasets.errors import VideoReadError
from mmssl.utils import quiet_ffmpeg


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Embed every video of a folder or list (.npy / .pt)')
    parser.add_argument('config', help='config with a test pipeline')
    parser.add_argument(
        'checkpoint', help='checkpoint, or "none" for random initialisation')
    parser.add_argument('source', help='folder of videos or annotation list')
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument('--data-prefix', help='root of a list\'s paths')
    parser.add_argument('--format', default='npy', choices=('npy', 'pt'))
    parser.add_argument(
        '--clip-level', action='store_true',
        help='also write the per-clip embeddings (V, D)')
    parser.add_argument(
        '--num-clips', type=int, help='clips per video (default: config)')
    parser.add_argument(
        '--num-crops', type=int, default=1, choices=(1, 3, 10))
    parser.add_argument(
        '--feature', default='feats', choices=('feats', 'time_feats'))
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--num-workers', type=int, default=2)
    parser.add_argument(
        '--chunk-size', type=int, default=256,
        help='videos per loader run; after an undecodable video the batch '
        'it was in is redone one video at a time and the loader restarts '
        'after it')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value')
    return parser.parse_args(argv)


def _save(out_dir: str, rel: str, video: torch.Tensor, clips: torch.Tensor,
          fmt: str, clip_level: bool) -> dict:
    base = osp.join(out_dir, rel)
    os.makedirs(osp.dirname(base) or '.', exist_ok=True)
    entry = {}
    if fmt == 'pt':
        obj = dict(video=video)
        if clip_level:
            obj['clips'] = clips
        torch.save(obj, f'{base}.pt')
        entry['file'] = f'{rel}.pt'
    else:
        np.save(f'{base}.npy', video.numpy())
        entry['file'] = f'{rel}.npy'
        if clip_level:
            np.save(f'{base}.clips.npy', clips.numpy())
            entry['clips_file'] = f'{rel}.clips.npy'
    return entry


def embed_all(model, videos, args, logger) -> tuple:
    """Embed ``videos`` [(path, rel)] chunk by chunk; returns (entries,
    skipped)."""
    entries, skipped = [], []
    options = dict(num_clips=args.num_clips, num_crops=args.num_crops,
                   feature=args.feature, batch_size=args.batch_size,
                   seed=args.seed)
    bar = tqdm(total=len(videos), desc='embedding', unit='video')
    rel_of = dict(videos)

    def run(chunk, num_workers):
        for path, video, clips in iter_video_embeddings(
                model, [p for p, _ in chunk], num_workers=num_workers,
                **options):
            entry = _save(args.out, rel_of[path], video, clips, args.format,
                          args.clip_level)
            entries.append(dict(video=path, dim=int(video.numel()),
                                num_views=int(len(clips)), **entry))
            bar.update(1)

    pending = list(videos)
    while pending:
        chunk = pending[:args.chunk_size]
        done = len(entries)
        try:
            run(chunk, args.num_workers)
            pending = pending[len(chunk):]
            continue
        except VideoReadError:
            done = len(entries) - done
        # batches arrive in order: the bad video is in the next batch
        failed_batch = chunk[done:done + args.batch_size]
        for path, rel in failed_batch:
            try:
                run([(path, rel)], 0)
            except VideoReadError as error:
                logger.warning(f'skipping {path}: {error}')
                skipped.append(dict(video=path, reason=str(error)))
                bar.update(1)
        pending = pending[done + len(failed_batch):]
    bar.close()
    return entries, skipped


def main(argv=None) -> dict:
    args = parse_args(argv)
    quiet_ffmpeg()
    logger = tool_logger('mmssl-embed')
    videos = list_videos(args.source, args.data_prefix)
    model = init_model(args.config, args.checkpoint, args.device,
                       args.cfg_options, args.seed)
    os.makedirs(args.out, exist_ok=True)
    entries, skipped = embed_all(model, videos, args, logger)
    index = dict(
        config=args.config,
        checkpoint=args.checkpoint,
        feature=args.feature,
        num_clips=args.num_clips,
        num_crops=args.num_crops,
        format=args.format,
        dim=entries[0]['dim'] if entries else None,
        videos=entries,
        skipped=skipped)
    with open(osp.join(args.out, 'index.json'), 'w') as f:
        json.dump(index, f, indent=2)
    print(f'{len(entries)} videos embedded into {args.out}'
          f'{f", {len(skipped)} skipped" if skipped else ""} '
          f'(index.json)')
    return index


if __name__ == '__main__':
    try:
        result = main()
    except (FileNotFoundError, KeyError, ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
    sys.exit(1 if result['skipped'] else 0)
