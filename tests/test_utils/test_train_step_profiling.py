"""CallRecorder / replay / count_flops of the train-step benchmark
(mmssl/utils/train_step_{capture,timing}.py)."""
import sys

import torch

from mmssl.utils.train_step_capture import CallRecorder, replay, scalar_of
from mmssl.utils.train_step_timing import count_flops


class Net(torch.nn.Module):

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3, bias=False)

    def encode(self, x):
        return self.fc(x)

    def forward(self, x):
        return self.encode(x) * 2  # nested call: recorded once


def test_records_top_level_calls_and_replays_them():
    torch.manual_seed(0)
    net = Net()
    module = sys.modules[__name__]
    recorder = CallRecorder(net, module)
    x, y = torch.randn(5, 4), torch.randn(2, 4)
    out = net(x).mean()
    with torch.no_grad():
        net.encode(y)
    recorder.remove()
    assert [(c['entry'], c['grad']) for c in recorder.calls] == [
        ('forward', True), ('encode', False)]
    assert 'forward' not in vars(net)  # wrappers removed
    # only grad-mode outputs enter the replayed scalar
    assert torch.allclose(replay(net, module, recorder.calls), out)
    assert torch.allclose(scalar_of({'a': out, 'n': torch.tensor(3)}), out)


def test_count_flops_of_a_linear_forward_backward():
    net = Net()
    x = torch.randn(5, 4)
    flops = count_flops(lambda: net(x).sum().backward())
    # forward 2*5*4*3, backward: weight gradient only (x needs no grad)
    assert flops['total'] == 2 * 5 * 4 * 3 * 2
