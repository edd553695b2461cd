"""A labelled matrix heatmap PNG (layer-by-layer CKA maps)."""
import os
import os.path as osp
from typing import Sequence

import numpy as np

__all__ = ['save_matrix_heatmap']


def _short(names: Sequence[str]) -> list:
    """Drop the common ``backbone.`` prefix for readable tick labels."""
    return [n[len('backbone.'):] if n.startswith('backbone.') else n
            for n in names]


def save_matrix_heatmap(matrix: np.ndarray,
                        rows: Sequence[str],
                        cols: Sequence[str],
                        out: str,
                        title: str = '',
                        xlabel: str = '',
                        ylabel: str = '',
                        vmin: float = 0.0,
                        vmax: float = 1.0,
                        annotate: bool = True) -> str:
    """Draw ``matrix`` (rows x cols) with named axes into the PNG ``out``.

    Row 0 is drawn at the bottom (layer depth grows upwards and to the
    right, the layout of Kornblith et al. 2019 and Nguyen et al. 2021).

    Args:
        matrix (np.ndarray): ``(R, C)`` values.
        rows (Sequence[str]): ``R`` row names.
        cols (Sequence[str]): ``C`` column names.
        out (str): PNG path (folders created).
        title, xlabel, ylabel (str): Texts.
        vmin, vmax (float): Colour range.
        annotate (bool): Write the values in the cells (only when the
            matrix has at most 16 x 16 cells).

    Returns:
        str: ``out``.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    matrix = np.asarray(matrix, dtype=float)
    size = 2.5 + 0.42 * max(matrix.shape)
    fig, ax = plt.subplots(figsize=(size + 1.2, size))
    image = ax.imshow(matrix, origin='lower', cmap='magma', vmin=vmin,
                      vmax=vmax)
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(_short(cols), rotation=60, ha='right', fontsize=7)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(_short(rows), fontsize=7)
    if annotate and max(matrix.shape) <= 16:
        for (i, j), value in np.ndenumerate(matrix):
            ax.text(j, i, f'{value:.2f}', ha='center', va='center',
                    fontsize=6, color='white' if value < 0.6 else 'black')
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=9)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out
