"""Checkpoints load under torch's weights_only default; payloads are refused."""
import os
import pickle

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer, MessageHub

import mmssl  # noqa: F401  (registers the safe globals)
from mmssl.utils.checkpoint_safety import history_buffer_getattr


def test_message_hub_state_round_trips(tmp_path):
    hub = MessageHub.get_instance('mmssl-test-ckpt')
    hub.update_scalar('train/loss', 1.5)
    hub.update_scalar('train/loss', np.float64(0.5))
    hub.update_info('iter', np.int64(3))
    path = tmp_path / 'ckpt.pth'
    torch.save({'message_hub': hub.state_dict(),
                'meta': {'seed': np.int64(0), 'arr': np.arange(3)}}, path)
    state = torch.load(path)  # weights_only=True is torch's default
    buffer = state['message_hub']['log_scalars']['train/loss']
    assert isinstance(buffer, HistoryBuffer)
    assert buffer.mean() == 1.0
    assert state['meta']['arr'].tolist() == [0, 1, 2]


class Payload:
    """Pickles to a call of os.system (a classic malicious checkpoint)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}', ))


def test_malicious_pickle_is_refused(tmp_path):
    marker = tmp_path / 'pwned'
    path = tmp_path / 'evil.pth'
    torch.save({'state_dict': {}, 'meta': Payload(marker)}, path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    assert not marker.exists()


class GetattrChain:
    """Pickles to getattr(HistoryBuffer, '__init__'): the first step of a
    getattr -> __globals__ -> eval chain."""

    def __reduce__(self):
        return (getattr, (HistoryBuffer, '__init__'))


def test_getattr_is_restricted(tmp_path):
    path = tmp_path / 'chain.pth'
    torch.save({'meta': GetattrChain()}, path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    with pytest.raises(pickle.UnpicklingError):
        history_buffer_getattr(os, 'system')
    assert history_buffer_getattr(HistoryBuffer, 'mean') is HistoryBuffer.mean


def test_mmengine_load_checkpoint_refuses_payload(tmp_path):
    from mmengine.runner import load_checkpoint
    marker = tmp_path / 'pwned2'
    path = tmp_path / 'evil2.pth'
    torch.save({'state_dict': {'w': torch.zeros(1)}, 'x': Payload(marker)},
               path)
    model = torch.nn.Linear(1, 1)
    with pytest.raises(pickle.UnpicklingError):
        load_checkpoint(model, str(path), map_location='cpu')
    assert not marker.exists()
