"""Issue 14 item 2: every shipped schedule spans the run, whatever
``train_cfg.max_epochs`` is (so ``--cfg-options train_cfg.max_epochs=N``
and ``--resume`` with more epochs keep decaying the lr)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True)
    if '/_base_/' not in p)


def schedules():
    for path in CONFIGS:
        text = open(path).read()
        if 'param_scheduler' in text or '_base_' in text:
            yield path


@pytest.mark.parametrize(
    'path', list(schedules()), ids=lambda p: osp.relpath(p, REPO))
def test_last_scheduler_ends_with_the_run(path):
    cfg = Config.fromfile(path)
    schedulers = cfg.get('param_scheduler')
    if not schedulers:
        pytest.skip('no param_scheduler')
    schedulers = schedulers if isinstance(schedulers, list) else [schedulers]
    # MMEngine fills in a missing `end` with max_epochs (by_epoch) when it
    # builds the schedulers; an explicit end or T_max copied from
    # max_epochs stays put when max_epochs changes
    for s in schedulers:
        assert s.get('by_epoch', True), s
    last = max(
        schedulers,
        key=lambda s: (s.get('begin', 0), s.get('end') is None))
    assert last.get('end') is None, (
        f'{last.type}: end={last.end} fixed in the config; leave it out so '
        'it follows train_cfg.max_epochs')
    for s in schedulers:
        if 'Cosine' in s.type:
            assert s.get('T_max') is None, (
                f'{s.type}: T_max={s.T_max} fixed; leave it out so it '
                'follows end - begin')


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_every_config_resumes_with_the_mmssl_hooks(path):
    hooks = Config.fromfile(path).get('default_hooks', {})
    assert hooks.get('param_scheduler', {}).get('type') == \
        'ResumableParamSchedulerHook'
    assert hooks.get('sampler_seed', {}).get('type') == 'ExactResumeHook'
