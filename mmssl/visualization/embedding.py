"""t-SNE map of video features coloured by class (seed 003 Fig. 4, the
STCLR paper's Figs. 9-12: pretrained features of the test videos).

t-SNE is scikit-learn's (van der Maaten & Hinton 2008; Barnes-Hut,
``init='pca'``, perplexity clipped below the number of points). Features are
L2-normalised first, the cosine geometry the retrieval and k-NN protocols
use.
"""
import os
import os.path as osp
from typing import Optional, Sequence

import numpy as np

__all__ = ['tsne_embedding', 'plot_embedding']


def tsne_embedding(feats: np.ndarray, perplexity: float = 30.0,
                   seed: int = 0) -> tuple:
    """2-D t-SNE of ``(N, D)`` features.

    Args:
        feats (np.ndarray): ``(N, D)``, ``N >= 3``.
        perplexity (float): t-SNE perplexity, clipped to ``(N - 1) / 3``.
        seed (int): ``random_state`` (same input and seed, same map).

    Returns:
        tuple: ``(N, 2)`` float array, the final KL divergence, and the
        perplexity used.
    """
    from sklearn.manifold import TSNE
    feats = np.asarray(feats, dtype=np.float64)
    if feats.ndim != 2 or len(feats) < 3:
        raise ValueError(f't-SNE needs (N >= 3, D) features, got '
                         f'{feats.shape}')
    norms = np.linalg.norm(feats, axis=1, keepdims=True)
    feats = feats / np.maximum(norms, 1e-12)
    perplexity = float(min(perplexity, (len(feats) - 1) / 3))
    tsne = TSNE(n_components=2, perplexity=perplexity, init='pca',
                random_state=seed)
    points = tsne.fit_transform(feats)
    return points, float(tsne.kl_divergence_), perplexity


def plot_embedding(points: np.ndarray, labels: Sequence[int], out: str,
                   class_names: Optional[Sequence[str]] = None,
                   title: str = '') -> str:
    """Scatter ``(N, 2)`` points coloured by label into the PNG ``out``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    labels = np.asarray(labels)
    classes = sorted(set(labels.tolist()))
    cmap = plt.get_cmap('tab10' if len(classes) <= 10 else 'tab20')
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    for index, label in enumerate(classes):
        chosen = labels == label
        name = class_names[label] if class_names and label < len(
            class_names) else str(label)
        ax.scatter(points[chosen, 0], points[chosen, 1], s=14,
                   color=cmap(index % cmap.N), label=name, alpha=0.85)
    ax.set_xticks([])
    ax.set_yticks([])
    if len(classes) <= 20:
        ax.legend(fontsize=7, loc='center left', bbox_to_anchor=(1, 0.5))
    if title:
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out
