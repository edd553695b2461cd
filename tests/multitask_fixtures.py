"""Shared inputs of the multi-task SSL tests (tests/test_models/)."""
import torch
from mmaction.structures import ActionDataSample


def multitask_batch(size=4, frames=8):
    """``(size, 2, 3, frames, 32, 32)`` views and data samples carrying a
    scattered ``mask`` (8 px patches), an ``order_label`` (of 24) and a
    ``direction_label`` each, as the tiny configs' pipeline packs them."""
    torch.manual_seed(1)
    inputs = torch.randn(size, 2, 3, frames, 32, 32)
    samples = []
    for i in range(size):
        s = ActionDataSample()
        mask = torch.zeros(2, frames * 16, dtype=torch.bool)
        mask[:, i::3] = True
        s.set_field(mask, 'mask')
        s.set_field(torch.tensor(i * 5 % 24), 'order_label')
        s.set_field(torch.tensor(i % 2), 'direction_label')
        samples.append(s)
    return inputs, samples
