"""Read per-sample pretext targets out of a list of data samples."""
from typing import List

import torch
from mmaction.structures import ActionDataSample


def stack_field(data_samples: List[ActionDataSample],
                key: str) -> torch.Tensor:
    """Stack a per-sample tensor field into a batch tensor.

    Samplers write pretext targets (order labels, speeds, masks ...) into
    the data samples through ``PackSSLInputs(target_keys=...)``; algorithms
    read them back as one batch tensor.

    Args:
        data_samples (list[ActionDataSample]): ``B`` samples.
        key (str): Field name, e.g. ``'order_label'``.

    Returns:
        torch.Tensor: ``(B, *field_shape)``.

    Raises:
        KeyError: naming the key and how to provide it, if a sample lacks it.
    """
    try:
        return torch.stack([sample.get(key) for sample in data_samples])
    except (TypeError, AttributeError):
        raise KeyError(f'data samples lack the pretext target "{key}"; add '
                       'it with the method\'s sampler and PackSSLInputs('
                       f'target_keys=("{key}",))')
