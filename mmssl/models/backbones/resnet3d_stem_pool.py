"""MMAction2's ``ResNet3d`` with a stem max-pool that also pools time, as
in the 3D ResNets of Hara et al. released by RSPNet.

Hara et al.'s 3D-ResNets (kenshohara/3D-ResNets-PyTorch ``models/
resnet.py``, the ``arch: resnet18`` of RSPNet, PeihaoChen/RSPNet
``models/resnet.py``) follow the 7x7x7 stem conv (stride (1, 2, 2)) with a
3x3x3 max-pool of stride 2 and padding 1 in T, H and W. MMAction2's
``ResNet3d`` fixes its stem pool kernel at (1, 3, 3) (its time stride is
``pool1_stride_t``). This subclass builds the plain ``ResNet3d`` (a
pool has no weights, so keys and shapes are identical and a checkpoint
loads into MMAction2's ``Recognizer3D`` unchanged) and then gives the stem
pool a temporal kernel.
"""
from mmaction.models.backbones import ResNet3d
from torch import nn

from mmssl.registry import MODELS


@MODELS.register_module()
class StemPoolResNet3d(ResNet3d):
    """``ResNet3d`` whose stem max-pool has kernel ``(pool1_kernel_t, 3,
    3)`` and temporal padding ``(pool1_kernel_t - 1) // 2``.

    Hara et al.'s / RSPNet's ResNet-18: ``conv1_kernel=(7, 7, 7),
    conv1_stride_t=1, pool1_kernel_t=3, pool1_stride_t=2,
    with_pool2=False`` (``configs/_base_/models/backbones/
    r3d_18_rspnet.py``).

    Args:
        pool1_kernel_t (int): Odd temporal kernel of the stem max-pool;
            1 gives MMAction2's pool. Defaults to 3.
        **kwargs: ``ResNet3d`` arguments.

    Shapes:
        Input ``(N, C, T, H, W)``; output as ``ResNet3d``.
    """

    def __init__(self, pool1_kernel_t: int = 3, **kwargs) -> None:
        super().__init__(**kwargs)
        kernel_t = int(pool1_kernel_t)
        if kernel_t < 1 or kernel_t % 2 == 0:
            raise ValueError(f'pool1_kernel_t={pool1_kernel_t} must be an '
                             'odd integer >= 1')
        self.pool1_kernel_t = kernel_t
        pool = self.maxpool
        self.maxpool = nn.MaxPool3d(
            kernel_size=(kernel_t, *pool.kernel_size[1:]),
            stride=pool.stride,
            padding=((kernel_t - 1) // 2, *pool.padding[1:]))
