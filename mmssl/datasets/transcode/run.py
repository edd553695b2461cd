"""Transcode a dataset in parallel, resumably, with a manifest.

The manifest (``DST_ROOT/transcode_manifest.json``) maps each relative path
to its last record (see :func:`.job.run_job`). On a rerun a video is skipped
when its output exists (outputs appear by rename only when complete) and
the manifest does not record different settings for it; failed videos are
tried again.
"""
import json
import multiprocessing as mp
import os.path as osp
from typing import Dict, List, Optional

from mmssl.utils.atomic_file_backend import atomic_write
from .job import output_rel, run_job

MANIFEST_NAME = 'transcode_manifest.json'
SAVE_EVERY = 20  # records between manifest saves


def load_manifest(dst_root: str) -> Dict:
    """``{'settings': ..., 'videos': {rel: record}}`` (empty if none)."""
    path = osp.join(dst_root, MANIFEST_NAME)
    if not osp.exists(path):
        return dict(settings=None, videos={})
    with open(path, encoding='utf-8') as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f'{path}: not a transcode manifest ({err}); '
                             'delete it to start over') from err


def save_manifest(dst_root: str, manifest: Dict) -> None:
    """Write the manifest atomically."""
    atomic_write(json.dumps(manifest, indent=1, sort_keys=True).encode(),
                 osp.join(dst_root, MANIFEST_NAME))


def plan(src_root: str, dst_root: str, rels: List[str], settings: Dict,
         manifest: Dict, encoder: str, ext: Optional[str] = None):
    """Split ``rels`` into jobs to run and relative paths to skip."""
    jobs, skipped, outputs = [], [], {}
    for rel in rels:
        dst_rel = output_rel(rel, ext)
        if dst_rel in outputs:
            raise ValueError(f'{outputs[dst_rel]} and {rel} would both be '
                             f'written to {dst_rel}')
        outputs[dst_rel] = rel
        dst = osp.join(dst_root, dst_rel)
        old = manifest['videos'].get(rel)
        if osp.exists(dst) and (old is None or old['settings'] == settings):
            skipped.append(rel)
        else:
            jobs.append(dict(rel=rel, dst_rel=dst_rel,
                             src=osp.join(src_root, rel), dst=dst,
                             settings=settings, encoder=encoder))
    return jobs, skipped


def transcode_dataset(src_root: str, dst_root: str, rels: List[str],
                      settings: Dict, encoder: str, workers: int = 1,
                      progress: bool = True,
                      ext: Optional[str] = None) -> Dict:
    """Transcode ``rels`` (relative to ``src_root``) into ``dst_root``.

    Args:
        src_root (str): Input root.
        dst_root (str): Output root; the relative layout is kept.
        rels (list[str]): Relative paths (:func:`.job.list_videos`).
        settings (dict): :func:`.encode.transcode_settings`.
        encoder (str): ``'pyav'`` or ``'ffmpeg'``.
        workers (int): Processes (1: in this process).
        progress (bool): Show a progress bar (tqdm).
        ext (str, optional): Output extension (e.g. ``'.mp4'``; picks the
            container). None: keep each input's extension.

    Returns:
        dict: the manifest after the run plus ``run`` = {``done``,
        ``skipped``, ``failed`` (lists of relative paths)}.
    """
    manifest = load_manifest(dst_root)
    manifest['settings'] = settings
    jobs, skipped = plan(src_root, dst_root, rels, settings, manifest,
                         encoder, ext)
    run = dict(done=[], skipped=skipped, failed=[])
    bar = _progress_bar(len(jobs), progress)
    pool = (mp.get_context('spawn').Pool(min(workers, len(jobs)))
            if workers > 1 and len(jobs) > 1 else None)
    try:
        records = (pool.imap_unordered(run_job, jobs) if pool else
                   map(run_job, jobs))
        for count, record in enumerate(records, 1):
            manifest['videos'][record['rel']] = record
            run['done' if record['status'] == 'done' else 'failed'].append(
                record['rel'])
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=len(run['failed']))
            if count % SAVE_EVERY == 0:
                save_manifest(dst_root, manifest)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if bar is not None:
            bar.close()
        save_manifest(dst_root, manifest)
    manifest['run'] = run
    return manifest


def _progress_bar(total: int, enabled: bool) -> Optional[object]:
    if not enabled or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit='video', desc='transcode')
