"""Checkpoint files: atomic writes, read errors that name the file, resume."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint

import mmssl  # noqa: F401  (registers the reader and the atomic backend)
from mmssl.utils.atomic_file_backend import AtomicLocalBackend
from mmssl.utils.checkpoint_reading import CheckpointReadError
from mmssl.utils.resume_checkpoint import (NoCheckpointToResume,
                                           find_resume_checkpoint)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RUNTIME = osp.join(REPO, 'configs/_base_/default_runtime.py')

# A process that saves a ~4 MB checkpoint the way CheckpointHook does (with
# the default runtime's backend_args) under a 1 MB file-size limit: the
# write stops after 1 MB (EFBIG; Python ignores SIGXFSZ) and the process
# dies, as a kill mid-save would. MMEngine's LocalBackend leaves a
# truncated 1 MB epoch_2.pth there.
SAVE_UNDER_LIMIT = """
import resource, sys, torch
import mmssl
from mmengine.config import Config
from mmengine.runner.checkpoint import save_checkpoint
hook = Config.fromfile(sys.argv[1]).default_hooks.checkpoint
state = {'state_dict': {'w': torch.arange(1_000_000, dtype=torch.float32)}}
resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
save_checkpoint(state, sys.argv[2], backend_args=hook.get('backend_args'))
"""


def test_kill_during_save_leaves_no_truncated_checkpoint(tmp_path):
    target = tmp_path / 'epoch_2.pth'
    torch.save({'state_dict': {'w': torch.zeros(3)}}, target)  # epoch 1's
    out = subprocess.run(
        [sys.executable, '-c', SAVE_UNDER_LIMIT, RUNTIME,
         str(target)],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=REPO),
        capture_output=True)
    assert out.returncode != 0 and b'File too large' in out.stderr
    # the previous complete file is untouched, no partial file in its place
    assert torch.equal(torch.load(target)['state_dict']['w'], torch.zeros(3))


def test_atomic_backend_put_and_put_text(tmp_path):
    backend = AtomicLocalBackend()
    backend.put(b'abc', tmp_path / 'sub' / 'a.bin')
    backend.put_text('last', tmp_path / 'last_checkpoint')
    assert (tmp_path / 'sub' / 'a.bin').read_bytes() == b'abc'
    assert (tmp_path / 'last_checkpoint').read_text() == 'last'
    assert sorted(os.listdir(tmp_path)) == ['last_checkpoint', 'sub']


def test_failed_atomic_write_removes_its_temporary_file(tmp_path,
                                                       monkeypatch):
    def fail(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, 'fsync', fail)
    with pytest.raises(KeyboardInterrupt):
        AtomicLocalBackend().put(b'abc', tmp_path / 'x.pth')
    assert os.listdir(tmp_path) == []


def test_default_runtime_saves_through_the_atomic_backend():
    hook = Config.fromfile(RUNTIME).default_hooks.checkpoint
    assert hook.backend_args == dict(backend='atomic_local')


@pytest.mark.parametrize('cut', [0, 0.5])
def test_truncated_or_empty_checkpoint_error_names_the_file(tmp_path, cut):
    path = tmp_path / 'epoch_3.pth'
    torch.save({'state_dict': {'w': torch.zeros(1000)}}, path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * cut)])
    with pytest.raises(CheckpointReadError, match=str(path)):
        _load_checkpoint(str(path), map_location='cpu')


def test_resume_finds_last_checkpoint_or_newest_or_says_none(tmp_path):
    with pytest.raises(NoCheckpointToResume, match='no checkpoint'):
        find_resume_checkpoint(str(tmp_path))
    for name in ('epoch_2.pth', 'epoch_10.pth', 'best.pth'):
        (tmp_path / name).write_bytes(b'x')
    assert find_resume_checkpoint(str(tmp_path)).endswith('epoch_10.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_2.pth'))
    assert find_resume_checkpoint(str(tmp_path)).endswith('epoch_2.pth')
    # a stale pointer falls back to the newest file
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'gone.pth'))
    assert find_resume_checkpoint(str(tmp_path)).endswith('epoch_10.pth')
