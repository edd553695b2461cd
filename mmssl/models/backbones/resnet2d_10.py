"""R2D-10: the 2D ResNet-10 I-Network of CSVR (Sec. IV-B)."""
from mmaction.models.backbones.resnet import BasicBlock, ResNet

from mmssl.registry import MODELS


@MODELS.register_module()
class ResNet2D10(ResNet):
    """2D ResNet-10 (one basic block per stage; 4.9M parameters, output
    ``512 x H/32 x W/32``) on MMAction2's 2D :class:`ResNet`.

    CSVR extracts I-frame features with an "R2D-10" (Sec. IV-B);
    MMAction2's ResNet has depths 18-152 only, so this adds depth 10 to its
    ``arch_settings`` (the layout of torchvision-style ResNets: stem
    ``7x7/2`` conv + ``3x3/2`` max-pool, stages of 64-512 channels).

    Args:
        depth (int): Must be 10. Defaults to 10.
        **kwargs: :class:`mmaction.models.ResNet` arguments (``pretrained``
            must stay None: no ImageNet ResNet-10 exists to load).
    """

    arch_settings = {10: (BasicBlock, (1, 1, 1, 1))}

    def __init__(self, depth: int = 10, **kwargs) -> None:
        if kwargs.get('pretrained') is not None:
            raise ValueError('ResNet2D10 has no pretrained weights; set '
                             'pretrained=None')
        kwargs.setdefault('torchvision_pretrain', False)
        super().__init__(depth=depth, **kwargs)
