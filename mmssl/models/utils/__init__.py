"""mmssl utils."""
from .masked_vit import vit_visible_tokens  # noqa: F401
from .video_patches import (gather_tokens, normalize_patches,  # noqa: F401
                            patchify_video, unpatchify_video)
from .head_in_channels import fill_head_in_channels  # noqa: F401
from .motion_attention import motion_attention  # noqa: F401
from .rotation import (center_crop_square, check_angles,  # noqa: F401
                       draw_rotation_labels, rotate_clips)
from .speed_tuples import (compose_speed_tuples,  # noqa: F401
                           compose_speedloc_batch, speed_label)
from .batch_shuffle import (batch_shuffle_ddp,  # noqa: F401,E402
                            batch_unshuffle_ddp)
from .feature_channels import (backbone_out_channels,  # noqa: F401,E402
                               fill_in_channels)
from .momentum_encoder import MomentumEncoder  # noqa: F401,E402
from .post_step_ddp import SSLDistributedDataParallel  # noqa: F401,E402
from .queue import FeatureQueue  # noqa: F401,E402
