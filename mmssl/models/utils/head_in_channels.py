"""Fill a head's ``in_channels`` from the backbone (one-line swaps)."""
import torch.nn as nn

from .feature_channels import backbone_out_channels


def fill_head_in_channels(head: dict, backbone: nn.Module) -> dict:
    """Copy of a head config whose missing (or ``None``) ``in_channels`` is
    the backbone's output channels.

    Lets a method config change the backbone with one line. Raises a
    ``ValueError`` naming ``model.head.in_channels`` if the backbone does
    not expose its channels (see :func:`backbone_out_channels`).
    """
    head = dict(head)
    if head.get('in_channels') is None:
        try:
            head['in_channels'] = backbone_out_channels(backbone)
        except AttributeError as err:
            raise ValueError(
                f'cannot infer in_channels of head {head.get("type")}: {err}; '
                'set model.head.in_channels in the config') from err
    return head
