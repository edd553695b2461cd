"""Output channels of a backbone, so heads / necks can follow it.

Lets a method config switch backbones by changing the ``backbone`` line
only: a head or neck config without ``in_channels`` (or with
``in_channels=None``) gets the backbone's output channels.

Also used by ``head_in_channels.py`` (:func:`backbone_out_channels`).
"""
from typing import Optional

import torch.nn as nn

# Attribute names under which MMAction2 / mmssl backbones expose their
# output channels (mmssl zoo: out_channels; ResNet3d / ResNet2Plus1d:
# feat_dim; SwinTransformer3D: num_features, a per-stage list in
# MMAction2 1.x).
_CHANNEL_ATTRS = ('out_channels', 'feat_dim', 'num_features')


def backbone_out_channels(backbone: nn.Module) -> int:
    """Channels ``C'`` of the backbone's last feature map ``(N, C', ...)``.

    Raises:
        AttributeError: if the backbone exposes none of ``out_channels``,
            ``feat_dim`` or ``num_features``; set ``in_channels`` in the
            config then.
    """
    for attr in _CHANNEL_ATTRS:
        value = getattr(backbone, attr, None)
        if isinstance(value, (list, tuple)) and value and all(
                isinstance(v, int) for v in value):
            # MMAction2 1.x SwinTransformer3D: num_features lists the
            # per-stage widths; the last feature map is stage
            # max(out_indices) (what extract_feat keeps).
            indices = getattr(backbone, 'out_indices', None)
            value = value[max(indices)] if indices else value[-1]
        if isinstance(value, int) and value > 0:
            return value
    raise AttributeError(
        f'cannot infer the output channels of {type(backbone).__name__} '
        f'(none of {_CHANNEL_ATTRS}); set in_channels in the head / neck '
        'config')


def fill_in_channels(cfg: Optional[dict],
                     backbone: nn.Module) -> Optional[dict]:
    """Copy of a head / neck config with ``in_channels`` filled in.

    ``in_channels`` missing or ``None`` -> the backbone's output channels;
    an explicit value is kept. ``ParallelNecks`` configs are filled branch
    by branch. ``None`` configs stay ``None``.
    """
    if cfg is None:
        return None
    cfg = dict(cfg)
    if cfg.get('type') == 'ParallelNecks':
        cfg['necks'] = {
            k: fill_in_channels(v, backbone)
            for k, v in cfg['necks'].items()
        }
        return cfg
    if cfg.get('in_channels') is None:
        cfg['in_channels'] = backbone_out_channels(backbone)
    return cfg
