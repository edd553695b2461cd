"""Generative modules (view synthesisers, pose/video generators and their
discriminators) used by the generative pretext tasks."""
__all__ = []
from .flow_estimator import (FlowEstimator, backward_warp,  # noqa: E402
                             warp_clip)
from .view_synthesis_vae import ViewSynthesisVAE  # noqa: E402

__all__ += ['FlowEstimator', 'backward_warp', 'warp_clip', 'ViewSynthesisVAE']
from .pose_cgan import (DynamicFeatureNeck, PoseDiscriminator1D,  # noqa: E402
                        PoseGenerator1D)
from .tgan_video import (ConditionalVideoGenerator,  # noqa: E402
                         VideoDiscriminator3D)

__all__ += [
    'DynamicFeatureNeck', 'PoseDiscriminator1D', 'PoseGenerator1D',
    'ConditionalVideoGenerator', 'VideoDiscriminator3D'
]
