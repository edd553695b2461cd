"""mmssl losses."""
from .global_local_contrastive import GlobalLocalContrastiveLoss
from .instance_contrastive import InstanceContrastiveLoss
from .local_local_contrastive import LocalLocalContrastiveLoss
from .pairwise_instance_contrastive import PairwiseInstanceContrastiveLoss

__all__ = [
    'InstanceContrastiveLoss',
    'LocalLocalContrastiveLoss',
    'GlobalLocalContrastiveLoss',
    'PairwiseInstanceContrastiveLoss',
]
from .masked_reconstruction import MaskedReconstructionLoss  # noqa: E402

__all__ += ['MaskedReconstructionLoss']
from .queue_info_nce import QueueInfoNCELoss, info_nce_logits  # noqa: E402
from .triplet_margin import TripletMarginLoss  # noqa: E402

__all__ += ['QueueInfoNCELoss', 'info_nce_logits', 'TripletMarginLoss']
from .shuffle_distance import (paired_shuffle_distance,  # noqa: E402
                               shuffle_distance)
from .shuffle_info_nce import ShuffleInfoNCELoss  # noqa: E402

__all__ += [
    'shuffle_distance', 'paired_shuffle_distance', 'ShuffleInfoNCELoss'
]
from .view_synthesis_losses import (charbonnier,  # noqa: E402
                                    gaussian_kl_divergence, info_max_loss,
                                    info_min_loss, photometric_loss)

__all__ += [
    'charbonnier', 'gaussian_kl_divergence', 'info_max_loss',
    'info_min_loss', 'photometric_loss'
]
from .mi_infonce import MIInfoNCELoss  # noqa: E402

__all__ += ['MIInfoNCELoss']
from .multi_teacher_kd import (MultiTeacherKDLoss,  # noqa: E402
                               kd_kl_divergence)

__all__ += ['MultiTeacherKDLoss', 'kd_kl_divergence']
