"""mmssl losses."""
from .global_local_contrastive import GlobalLocalContrastiveLoss
from .instance_contrastive import InstanceContrastiveLoss
from .local_local_contrastive import LocalLocalContrastiveLoss

__all__ = [
    'InstanceContrastiveLoss',
    'LocalLocalContrastiveLoss',
    'GlobalLocalContrastiveLoss',
]
