"""One transcoding job: which files to do, and doing one of them safely.

A job writes to a hidden temporary file and renames it onto the output path
only once the output's frame count equals the input's sequential frame
count, so an output that exists is complete (a killed run leaves only a
temporary file, which the next run overwrites).
"""
import os
import os.path as osp
import time
from typing import Dict, List, Optional

from ..annotation_list import read_annotation_lines, split_fields
from .encode import count_frames, temp_path, transcode_file

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.webm', '.mov', '.mpg', '.mpeg',
                    '.m4v', '.flv', '.ts', '.ogv', '.wmv', '.3gp', '.vob')


def list_videos(src_root: str, ann_file: Optional[str] = None,
                delimiter: str = ' ') -> List[str]:
    """Relative paths (``/``-separated, sorted, unique) of the videos to do.

    Args:
        src_root (str): Dataset root.
        ann_file (str, optional): An annotation list (``<path> <label>``
            lines, paths relative to ``src_root``): only its videos. None:
            every file under ``src_root`` with a video extension (hidden
            files excluded).
        delimiter (str): Field separator of the list.
    """
    if ann_file is not None:
        rels = set()
        for lineno, text in read_annotation_lines(ann_file):
            rels.add(split_fields(text, delimiter,
                                  f'{ann_file}:{lineno}')[0])
        return sorted(rels)
    rels = []
    for folder, dirs, files in os.walk(src_root):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for name in files:
            if not name.startswith('.') and name.lower().endswith(
                    VIDEO_EXTENSIONS):
                rels.append(osp.relpath(osp.join(folder, name),
                                        src_root).replace(os.sep, '/'))
    return sorted(rels)


def output_rel(rel: str, ext: Optional[str] = None) -> str:
    """Output path of input ``rel``: the same, or with extension ``ext``."""
    return rel if ext is None else osp.splitext(rel)[0] + ext


def rewrite_list(ann_file: str, out_file: str, ext: str,
                 delimiter: str = ' ') -> int:
    """Copy an annotation list with each path's extension set to ``ext``
    (labels and quoting kept, blank lines dropped). Returns the lines."""
    lines = []
    for lineno, text in read_annotation_lines(ann_file):
        path = split_fields(text, delimiter, f'{ann_file}:{lineno}')[0]
        lines.append(text.replace(path, output_rel(path, ext), 1))
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    with open(out_file, 'w', encoding='utf-8') as f:
        f.writelines(line + '\n' for line in lines)
    return len(lines)


def run_job(job: Dict) -> Dict:
    """Transcode ``job['src']`` to ``job['dst']``; never raises.

    Args:
        job (dict): ``rel``, ``dst_rel``, ``src``, ``dst``, ``settings``,
            ``encoder``.

    Returns:
        dict: the manifest record: ``rel``, ``dst_rel``, ``status``
        (``'done'``, ``'failed'`` or ``'frame_count_mismatch'``),
        ``src_frames``, ``dst_frames``, ``src_bytes``, ``dst_bytes``,
        ``size`` ([H, W]), ``seconds``, ``settings``, ``error`` (message or
        None). Only ``'done'`` leaves an output file.
    """
    record = dict(rel=job['rel'], dst_rel=job['dst_rel'], status='failed',
                  src_frames=None, dst_frames=None, src_bytes=None,
                  dst_bytes=None, size=None, seconds=None,
                  settings=job['settings'], error=None)
    tmp = temp_path(job['dst'])
    start = time.perf_counter()
    try:
        record['src_bytes'] = osp.getsize(job['src'])
        os.makedirs(osp.dirname(job['dst']) or '.', exist_ok=True)
        info = transcode_file(job['src'], tmp, job['settings'],
                              job['encoder'])
        src_frames = info['src_frames']
        if src_frames is None:  # the ffmpeg binary does not count
            src_frames = count_frames(job['src'])
        dst_frames = count_frames(tmp)
        record.update(src_frames=src_frames, dst_frames=dst_frames,
                      size=None if info['size'] is None else
                      list(info['size']))
        if dst_frames != src_frames:
            record.update(
                status='frame_count_mismatch',
                error=f'output has {dst_frames} frames, input {src_frames} '
                '(output not kept)')
        else:
            os.replace(tmp, job['dst'])
            record.update(status='done', dst_bytes=osp.getsize(job['dst']))
    except Exception as err:  # broken input, unsupported muxer, ...
        record['error'] = f'{type(err).__name__}: {err}'
    finally:
        if osp.exists(tmp):
            os.remove(tmp)
    record['seconds'] = round(time.perf_counter() - start, 3)
    return record
