"""Centered kernel alignment (CKA) between two layer representations.

Linear CKA (Kornblith et al., "Similarity of Neural Network Representations
Revisited", ICML 2019, Eq. 1-4): for representations ``X (n, p)`` and
``Y (n, q)`` of the same ``n`` examples, with Gram matrices ``K = X X^T``,
``L = Y Y^T`` and the centring matrix ``H = I - 11^T / n``::

    HSIC(K, L) = tr(K H L H) / (n - 1)^2
    CKA(K, L)  = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L))

The minibatch variant (Nguyen, Raghu and Kornblith, "Do Wide and Deep
Networks Learn the Same Things?", ICLR 2021, Sec. 3.1) averages the
*unbiased* HSIC estimator (Song et al., "Feature Selection via Dependence
Maximization", JMLR 2012, Eq. 5) over ``k`` minibatches of ``n`` examples::

    HSIC_1(K, L) = 1 / (n (n - 3)) [ tr(K~ L~)
                   + (1^T K~ 1)(1^T L~ 1) / ((n - 1)(n - 2))
                   - 2 / (n - 2) 1^T K~ L~ 1 ]
    CKA_minibatch = mean_i HSIC_1(K_i, L_i)
                    / sqrt(mean_i HSIC_1(K_i, K_i) mean_i HSIC_1(L_i, L_i))

where ``K~`` is ``K`` with its diagonal set to zero. It needs only one
minibatch of activations at a time, so CKA of large ``N`` fits in memory,
and its value does not depend on the batch size in expectation. The
benchmark study (Kumar et al., Sec. 4.2 / 4.5, supp. Figs. 8-14) draws such
layer-by-layer CKA maps.

All computations run in float64 (Gram matrices of flattened conv maps sum
many products).
"""
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

__all__ = [
    'gram_linear', 'hsic_biased', 'hsic_unbiased', 'linear_cka',
    'MinibatchCKA'
]


def _as_matrix(x: Tensor, name: str) -> Tensor:
    """``(n, ...)`` -> ``(n, d)`` float64, checked."""
    if not isinstance(x, Tensor):
        x = torch.as_tensor(x)
    if x.dim() < 2:
        raise ValueError(f'{name} must have shape (n, d, ...), got '
                         f'{tuple(x.shape)}')
    x = x.detach().reshape(x.shape[0], -1).double()
    if not torch.isfinite(x).all():
        raise ValueError(f'{name} holds non-finite values')
    return x


def gram_linear(x: Tensor) -> Tensor:
    """Linear-kernel Gram matrix ``X X^T``.

    Args:
        x (Tensor): ``(n, d, ...)`` representations (flattened per example).

    Returns:
        Tensor: ``(n, n)`` float64.
    """
    x = _as_matrix(x, 'x')
    return x @ x.T


def _center_gram(gram: Tensor) -> Tensor:
    """``H K H`` without forming ``H``."""
    gram = gram - gram.mean(dim=0, keepdim=True)
    return gram - gram.mean(dim=1, keepdim=True)


def hsic_biased(gram_x: Tensor, gram_y: Tensor) -> Tensor:
    """Biased HSIC ``tr(K H L H) / (n - 1)^2`` (Gretton et al. 2005).

    Args:
        gram_x (Tensor): ``(n, n)`` Gram matrix ``K``.
        gram_y (Tensor): ``(n, n)`` Gram matrix ``L``.

    Returns:
        Tensor: Scalar float64.
    """
    n = gram_x.shape[0]
    return (_center_gram(gram_x.double()) * gram_y.double()).sum() / (n - 1)**2


def hsic_unbiased(gram_x: Tensor, gram_y: Tensor) -> Tensor:
    """Unbiased HSIC estimator ``HSIC_1`` (Song et al. 2012, Eq. 5).

    Args:
        gram_x (Tensor): ``(n, n)`` Gram matrix ``K``, ``n >= 4``.
        gram_y (Tensor): ``(n, n)`` Gram matrix ``L``.

    Returns:
        Tensor: Scalar float64 (may be slightly negative).

    Raises:
        ValueError: If ``n < 4`` (the estimator divides by ``n - 3``).
    """
    n = gram_x.shape[0]
    if n < 4:
        raise ValueError(f'the unbiased HSIC needs n >= 4 examples per '
                         f'minibatch, got {n}')
    k = gram_x.double().clone()
    l_ = gram_y.double().clone()
    k.fill_diagonal_(0)
    l_.fill_diagonal_(0)
    trace = (k * l_).sum()
    sums = k.sum() * l_.sum() / ((n - 1) * (n - 2))
    cross = 2.0 / (n - 2) * (k.sum(dim=0) @ l_.sum(dim=1))
    return (trace + sums - cross) / (n * (n - 3))


def linear_cka(x: Tensor, y: Tensor) -> float:
    """Linear CKA of two representations of the same ``n`` examples.

    Args:
        x (Tensor): ``(n, p, ...)``, e.g. a conv map ``(n, C, T, H, W)``
            (flattened per example).
        y (Tensor): ``(n, q, ...)``.

    Returns:
        float: CKA in ``[0, 1]``; 1 for representations equal up to an
        orthogonal transform and isotropic scaling.

    Raises:
        ValueError: Different numbers of examples, ``n < 2``, non-finite
            values, or a constant representation (CKA undefined).
    """
    x, y = _as_matrix(x, 'x'), _as_matrix(y, 'y')
    if x.shape[0] != y.shape[0]:
        raise ValueError(f'x and y hold different numbers of examples: '
                         f'{x.shape[0]} vs {y.shape[0]}')
    if x.shape[0] < 2:
        raise ValueError('CKA needs at least 2 examples')
    gram_x, gram_y = x @ x.T, y @ y.T
    denominator = torch.sqrt(
        hsic_biased(gram_x, gram_x) * hsic_biased(gram_y, gram_y))
    if denominator <= 0:
        raise ValueError('a representation is constant over the examples; '
                         'CKA is undefined')
    return float(hsic_biased(gram_x, gram_y) / denominator)


class MinibatchCKA:
    """Minibatch CKA matrix between the layers of one or two models.

    Accumulates, minibatch by minibatch, ``HSIC_1`` of every pair
    ``(row layer, column layer)`` and of every layer with itself; the CKA
    matrix is then the ratio of Nguyen et al. (2021), see the module
    docstring.

    Args:
        rows (Sequence[str]): Layer names of the first model (matrix rows).
        cols (Sequence[str], optional): Layer names of the second model
            (columns); default: ``rows`` (one model against itself).

    Example:
        >>> cka = MinibatchCKA(['a', 'b'])
        >>> for acts in batches:      # dict name -> (n, ...) tensor
        ...     cka.update(acts)
        >>> matrix = cka.compute()    # (2, 2) tensor
    """

    def __init__(self, rows: Sequence[str],
                 cols: Optional[Sequence[str]] = None) -> None:
        self.rows = list(rows)
        self.cols = list(cols) if cols is not None else list(rows)
        self.cross = torch.zeros(len(self.rows), len(self.cols),
                                 dtype=torch.float64)
        self.self_rows = torch.zeros(len(self.rows), dtype=torch.float64)
        self.self_cols = torch.zeros(len(self.cols), dtype=torch.float64)
        self.num_batches = 0

    def update(self, row_acts: Dict[str, Tensor],
               col_acts: Optional[Dict[str, Tensor]] = None) -> None:
        """Add one minibatch.

        Args:
            row_acts (dict[str, Tensor]): ``{row layer: (n, ...)}``.
            col_acts (dict[str, Tensor], optional): ``{column layer:
                (n, ...)}`` of the same ``n`` examples; default
                ``row_acts``.

        Raises:
            KeyError: A layer's activations are missing.
            ValueError: Layers see different numbers of examples, or n < 4.
        """
        col_acts = row_acts if col_acts is None else col_acts
        missing = [n for n in self.rows if n not in row_acts] + [
            n for n in self.cols if n not in col_acts]
        if missing:
            raise KeyError(f'no activations for layers {missing}')
        row_grams = [gram_linear(row_acts[n]) for n in self.rows]
        col_grams = [gram_linear(col_acts[n]) for n in self.cols]
        sizes = {g.shape[0] for g in row_grams + col_grams}
        if len(sizes) != 1:
            raise ValueError(f'layers saw different numbers of examples in '
                             f'one minibatch: {sorted(sizes)}')
        for i, gram_x in enumerate(row_grams):
            self.self_rows[i] += hsic_unbiased(gram_x, gram_x)
            for j, gram_y in enumerate(col_grams):
                self.cross[i, j] += hsic_unbiased(gram_x, gram_y)
        for j, gram_y in enumerate(col_grams):
            self.self_cols[j] += hsic_unbiased(gram_y, gram_y)
        self.num_batches += 1

    def compute(self) -> Tensor:
        """The ``(len(rows), len(cols))`` CKA matrix (float64).

        Raises:
            RuntimeError: No minibatch was added.
        """
        if not self.num_batches:
            raise RuntimeError('MinibatchCKA.compute() before any update()')
        denominator = torch.sqrt(
            self.self_rows.clamp(min=0)[:, None] *
            self.self_cols.clamp(min=0)[None, :])
        return self.cross / denominator.clamp(min=torch.finfo(
            torch.float64).tiny)
