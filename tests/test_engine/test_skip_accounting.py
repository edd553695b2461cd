"""Skipped samples are counted and named (issue 14, items 6 and 7).

Skip records travel from dataloader worker processes with the batch, the
SkipAccountingHook logs each skip and a per-epoch summary (count, fraction,
files) with scalars, gathers over ranks, does not let MMEngine's
duplicate-warning filter hide a file failing again, and stops a run that
skips too much. Test loaders refuse on_error='skip'; an all-bad list gives
one clear error.
"""
import datetime
import glob
import json
import os.path as osp
import re
import socket
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from mmaction.models import ActionDataPreprocessor
from mmaction.structures import ActionDataSample
from mmengine.logging import MessageHub, MMLogger
from mmengine.model import BaseModel
from mmengine.runner import Runner

from mmssl.datasets import VideoListDataset, VideoReadError
from mmssl.datasets.skip_log import SkipLog, SkipRecord, report_skip
from mmssl.engine.hooks import SkipAccountingHook
from mmssl.engine.hooks.skip_accounting_hook import TooManySkippedSamples


def pipeline(on_error='skip'):
    return [
        dict(type='SafeDecordInit', on_error=on_error),
        dict(type='SampleFrames', clip_len=2, frame_interval=1, num_clips=1),
        dict(type='DecordDecodeUnion', on_error=on_error),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackSSLInputs'),
    ]


def write_list(tmp_path, index_videos, bad_names, good=('long', 'short')):
    lines = [f'{index_videos[name]} 0' for name in good]
    for name in bad_names:
        (tmp_path / name).write_bytes(b'not a video\n' * 10)
        lines.append(f'{tmp_path / name} 1')
    ann = tmp_path / 'list.txt'
    ann.write_text('\n'.join(lines) + '\n')
    return str(ann)


def build(ann, **kwargs):
    from mmengine.registry import init_default_scope
    init_default_scope('mmssl')
    return VideoListDataset(ann, pipeline(), **kwargs)


def test_skip_record_attached_to_returned_sample(tmp_path, index_videos):
    ann = write_list(tmp_path, index_videos, ['bad.mp4'], good=('long', ))
    ds = build(ann)
    out = ds[1]  # bad.mp4 -> redrawn until long.avi (index 0) loads
    log = out['data_samples'].metainfo['skip_log']
    assert isinstance(log, SkipLog) and len(log) >= 1
    for record in log:
        assert record.filename.endswith('bad.mp4')
        assert record.where == f'{ann}:2'
        assert 'cannot open video' in record.reason
    assert len(ds[0]['data_samples'].metainfo['skip_log']) == 0


def test_every_video_bad_gives_one_clear_error(tmp_path, index_videos):
    ann = write_list(tmp_path, index_videos, ['a.mp4', 'b.mp4'], good=())
    with pytest.raises(VideoReadError, match=r'every video of .*list\.txt '
                       r'\(2\) failed to load, e\.g\. .*\.mp4'):
        build(ann)[0]
    ann = write_list(tmp_path, index_videos, ['a.mp4', 'b.mp4', 'c.mp4'],
                     good=())
    with pytest.raises(VideoReadError, match='2 draws in a row'):
        build(ann, max_refetch=1)[0]


def test_test_mode_refuses_skipping_pipeline(tmp_path, index_videos):
    ann = write_list(tmp_path, index_videos, [])
    with pytest.raises(ValueError, match=r"SafeDecordInit\(on_error='skip'\)"
                       r'.*test-mode.*metric'):
        build(ann, test_mode=True)
    ok = VideoListDataset(ann, pipeline('raise'), test_mode=True)
    assert 'skip_log' not in ok[0]['data_samples'].metainfo


class ToyModel(BaseModel):
    """Mean of the clip times one weight; enough for the training loop."""

    def __init__(self):
        super().__init__(data_preprocessor=ActionDataPreprocessor(
            format_shape='NCTHW'))
        self.weight = nn.Parameter(torch.ones(1))

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return dict(loss=(inputs.float().mean() / 255 * self.weight)**2)


def run_training(work_dir, ann, max_skip_fraction, max_epochs=2):
    runner = Runner(
        model=ToyModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            batch_size=2,
            num_workers=2,  # skips happen in worker processes
            persistent_workers=False,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dict(
                type='VideoListDataset', ann_file=ann, pipeline=pipeline())),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        default_hooks=dict(
            checkpoint=None,
            skip_accounting=dict(
                type='SkipAccountingHook',
                max_skip_fraction=max_skip_fraction)),
        visualizer=dict(
            type='Visualizer', vis_backends=[dict(type='LocalVisBackend')]),
        default_scope='mmssl',
        # unique per test: MMEngine reuses a logger (and its log file) of
        # the same experiment name within one process
        experiment_name='skip_' + '_'.join(
            osp.normpath(str(work_dir)).split(osp.sep)[-2:]))
    try:
        runner.train()
    finally:
        log = open(glob.glob(f'{work_dir}/*/*.log')[0]).read()
    return runner, log


def test_training_counts_and_lists_skips_per_epoch(tmp_path, index_videos):
    ann = write_list(tmp_path, index_videos, ['bad.mp4'])
    runner, log = run_training(tmp_path / 'work', ann, max_skip_fraction=0.9)
    per_iter = {
        epoch: len(re.findall(rf'skipped sample \d+ of epoch {epoch} ', log))
        for epoch in (1, 2)
    }
    # bad.mp4 is drawn every epoch, and may be redrawn in one iteration:
    # no repeat is hidden by MMEngine's duplicate-warning filter
    assert per_iter[1] >= 1 and per_iter[2] >= 1
    for epoch in (1, 2):
        assert [int(n) for n in re.findall(
            rf'skipped sample (\d+) of epoch {epoch} ',
            log)] == list(range(1, per_iter[epoch] + 1))
    assert log.count('bad.mp4 (listed at') == 0  # reason names the file once
    scalars = [
        json.loads(line) for line in open(
            glob.glob(f'{tmp_path}/work/*/vis_data/scalars.json')[0])
        if 'skipped_samples' in line
    ]
    assert [s['step'] for s in scalars] == [1, 2]
    for epoch, s in zip((1, 2), scalars):
        skipped = per_iter[epoch]
        assert s['skipped_samples'] == skipped
        assert s['skipped_fraction'] == pytest.approx(skipped / (3 + skipped))
        assert (f'epoch {epoch}: {skipped} of {3 + skipped} loaded samples '
                'skipped') in log
    assert f'{ann}:3' in log and 'cannot open video' in log
    hub = runner.message_hub
    assert hub.get_scalar('skip/skipped_samples').current() == per_iter[2]


def test_too_many_skips_stop_the_run(tmp_path, index_videos):
    ann = write_list(tmp_path, index_videos, ['bad1.mp4', 'bad2.mp4'],
                     good=('long', ))
    # 2 of 3 listed videos are bad: at least 2 of 5 draws skipped (40%)
    with pytest.raises(TooManySkippedSamples,
                       match=r'in epoch 1, more than max_skip_fraction=0\.2'):
        run_training(tmp_path / 'work', ann, max_skip_fraction=0.2)


def test_repeated_skip_warnings_are_not_filtered(tmp_path):
    log_file = tmp_path / 'skips.log'
    MMLogger.get_instance('mmssl-skip-repeat', log_file=str(log_file))
    for _ in range(2):
        report_skip('cannot open video "same.mp4"')
    text = log_file.read_text()
    assert text.count('cannot open video "same.mp4"') == 2


# --------------------------------------------------------------------------
# two gloo ranks: the epoch summary gathers every rank's records
# --------------------------------------------------------------------------


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class _Visualizer:

    def __init__(self):
        self.scalars = []

    def add_scalars(self, scalars, step):
        self.scalars.append((dict(scalars), step))


def _rank_worker(rank, port, out_dir):
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=2,
        timeout=datetime.timedelta(seconds=60))
    try:
        runner = SimpleNamespace(
            epoch=0,
            iter=0,
            logger=MMLogger.get_instance(f'skip-rank{rank}'),
            message_hub=MessageHub.get_instance(f'skip-rank{rank}'),
            visualizer=_Visualizer())
        out = {}
        for limit in (0.5, 0.1):
            hook = SkipAccountingHook(max_skip_fraction=limit)
            hook.before_train_epoch(runner)
            # rank 0: 4 samples, one preceded by a skip; rank 1: 4 samples,
            # one preceded by two skips
            logs = [SkipLog() for _ in range(3)]
            logs.append(
                SkipLog([
                    SkipRecord(f'r{rank}_{i}.mp4', f'list.txt:{i}', 'broken')
                    for i in range(rank + 1)
                ]))
            samples = [ActionDataSample(metainfo=dict(skip_log=log))
                       for log in logs]
            hook.after_train_iter(runner, 0, dict(data_samples=samples))
            try:
                hook.after_train_epoch(runner)
                out[limit] = 'ok'
            except TooManySkippedSamples as err:
                out[limit] = str(err)
        out['scalars'] = runner.visualizer.scalars
        torch.save(out, f'{out_dir}/rank{rank}.pt')
    finally:
        dist.destroy_process_group()


def test_epoch_summary_gathers_all_ranks(tmp_path):
    mp.spawn(_rank_worker, args=(_free_port(), str(tmp_path)), nprocs=2)
    for rank in range(2):
        out = torch.load(tmp_path / f'rank{rank}.pt')
        # 3 skips of 8 delivered + 3 skipped = 11 draws on both ranks
        assert out['scalars'][0] == (
            dict(skipped_samples=3, skipped_fraction=3 / 11), 1)
        assert out[0.5] == 'ok'
        assert out[0.1].startswith('3 of 11 samples (27.3%) were skipped')
