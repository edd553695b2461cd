"""Qualitative retrieval gallery: each query clip's frames and its top-k
nearest training videos, correct neighbours framed green, wrong ones red
(the qualitative retrieval figures of video SSL papers, e.g. the STCLR
paper's Figs. 9-12)."""
import os.path as osp
from typing import List, Optional, Sequence

import numpy as np

from mmssl.datasets.transforms.decode_backends import open_video

from .png import save_figure_small

__all__ = ['preview_frames', 'draw_retrieval_gallery']

CORRECT, WRONG = '#1a9641', '#d7191c'


def preview_frames(path: str, num_frames: int = 4,
                   short_side: Optional[int] = 64) -> np.ndarray:
    """``num_frames`` evenly spaced frames of a video (sequential decode).

    Returns:
        np.ndarray: ``(num_frames, H, W, 3)`` uint8 RGB.

    Raises:
        FileNotFoundError: The video is missing.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'video not found: {path}')
    with open_video(path, 'decord', short_side=short_side) as video:
        total = max(int(video.num_frames), 1)
        indices = np.unique(
            np.linspace(0, total - 1, num_frames).round().astype(np.int64))
        frames = video.read(indices, 'sequential')
    if len(frames) < num_frames:  # very short video: repeat the last frame
        frames = np.concatenate(
            [frames, np.repeat(frames[-1:], num_frames - len(frames), 0)])
    return frames


def _name(label: int, class_names: Optional[Sequence[str]]) -> str:
    if class_names is not None and 0 <= label < len(class_names):
        return class_names[label]
    return str(label)


def draw_retrieval_gallery(rows: List[dict], out: str,
                           class_names: Optional[Sequence[str]] = None,
                           title: str = '') -> str:
    """Draw one row per query into the PNG ``out``.

    Args:
        rows (list[dict]): Per query ``query_frames`` ``(F, H, W, 3)``,
            ``query_label``, and ``neighbours``: a list of dicts with
            ``frame`` ``(H, W, 3)``, ``label``, ``similarity``, ``correct``.
        out (str): PNG path.
        class_names (Sequence[str], optional): Label names.
        title (str): Figure title.

    Returns:
        str: ``out``.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    num_query = len(rows[0]['query_frames'])
    k = max(len(r['neighbours']) for r in rows)
    cols = num_query + 1 + k
    widths = [1.0] * num_query + [0.15] + [1.0] * k
    fig, axes = plt.subplots(len(rows), cols,
                             figsize=(sum(widths), 1.2 * len(rows)),
                             squeeze=False,
                             gridspec_kw=dict(width_ratios=widths))
    for i, row in enumerate(rows):
        for j in range(cols):
            axes[i, j].axis('off')
        for j, frame in enumerate(row['query_frames']):
            axes[i, j].imshow(frame)
        axes[i, 0].set_title(
            f'query: {_name(row["query_label"], class_names)}',
            fontsize=7, loc='left')
        for j, hit in enumerate(row['neighbours']):
            ax = axes[i, num_query + 1 + j]
            ax.imshow(hit['frame'])
            ax.axis('on')
            ax.set_xticks([])
            ax.set_yticks([])
            color = CORRECT if hit['correct'] else WRONG
            for spine in ax.spines.values():
                spine.set_edgecolor(color)
                spine.set_linewidth(3)
            ax.set_title(f'{j + 1}. {_name(hit["label"], class_names)}\n'
                         f'{hit["similarity"]:.2f}', fontsize=6, color=color)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    save_figure_small(fig, out)
    plt.close(fig)
    return out
