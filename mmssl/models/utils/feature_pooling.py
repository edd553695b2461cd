"""Pooling of a backbone's last feature map into one clip feature vector.

Two poolings are in use for frozen-feature protocols (retrieval, probing):

- ``'global'``: 3-D adaptive average pooling over ``(T', H', W')``, a ``C``
  vector per clip. This is what VCOP (Xu et al., CVPR 2019, Sec. 4.4) and
  most later video SSL papers retrieve with.
- ``'time'``: average over ``(H', W')`` only, the time axis kept and
  flattened, a ``C * T'`` vector per clip. This is TCLR's released
  ``nn_retrieval`` (``AdaptiveAvgPool3d((None, 1, 1))`` on layer 4, then
  ``output.squeeze(3).squeeze(3)`` and ``.view(-1)``), which STCLR follows
  ("clip features ... from the last layer of the model with spatial pooling
  applied following [TCLR]", Sec. 4.2.2). The flattened order is
  channel-major, ``index = c * T' + t``, as ``.view(-1)`` of a ``(C, T')``
  tensor gives.
"""
import torch
import torch.nn.functional as F

__all__ = ['FEATURE_POOLINGS', 'FEATURE_FIELDS', 'pool_feature_map']

#: Pooling names accepted by :func:`pool_feature_map`.
FEATURE_POOLINGS = ('global', 'time')

#: Data-sample field that carries each pooling's video feature (set by
#: ``BaseSSLAlgorithm.predict``, read by ``RetrievalMetric(feature_key=...)``).
FEATURE_FIELDS = {'global': 'feats', 'time': 'time_feats'}


def pool_feature_map(feat_map: torch.Tensor,
                     pooling: str = 'global') -> torch.Tensor:
    """Pool a batch of clip feature maps into feature vectors.

    Args:
        feat_map (torch.Tensor): ``(N, C, T', H', W')``, e.g. the last stage
            of a 3D CNN.
        pooling (str): ``'global'`` (average over ``T', H', W'``) or
            ``'time'`` (average over ``H', W'``, time kept and flattened
            channel-major). See the module docstring for the sources.

    Returns:
        torch.Tensor: ``(N, C)`` for ``'global'``, ``(N, C * T')`` for
        ``'time'``.

    Raises:
        ValueError: If ``feat_map`` is not 5-D or ``pooling`` is unknown.
    """
    if pooling not in FEATURE_POOLINGS:
        raise ValueError(f'pooling must be one of {FEATURE_POOLINGS}, got '
                         f'{pooling!r}')
    if feat_map.dim() != 5:
        raise ValueError('expected a feature map (N, C, T, H, W), got shape '
                         f'{tuple(feat_map.shape)}')
    if pooling == 'global':
        return F.adaptive_avg_pool3d(feat_map, 1).flatten(1)
    return feat_map.mean(dim=(3, 4)).flatten(1)
