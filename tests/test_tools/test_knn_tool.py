"""tools/analysis_tools/knn.py on a feature cache written here in the
contract's format (meta.json + <split>-00000.pt shards)."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

from mmssl.evaluation.feature_cache import FeatureCacheMismatch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'analysis_tools', 'knn.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('knn_tool', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_cache(root, sets):
    """``sets``: {split: (feats, labels)}; one shard per split."""
    meta = dict(
        format='mmssl-feature-cache', version=1, config='fake.py',
        config_sha256='0' * 64, checkpoint='none', checkpoint_sha256=None,
        seed=0, feature='feats', num_clips=2, num_crops=1, splits={})
    for split, (feats, labels) in sets.items():
        name = f'{split}-00000.pt'
        torch.save(
            dict(feats=feats, labels=labels,
                 indices=torch.arange(len(labels)),
                 filenames=[f'{split}{i}.avi' for i in range(len(labels))]),
            osp.join(root, name))
        meta['splits'][split] = dict(num_videos=len(labels), shards=[name],
                                     dim=feats.shape[1])
    with open(osp.join(root, 'meta.json'), 'w') as f:
        json.dump(meta, f)


@pytest.fixture
def cache(tmp_path):
    gen = torch.Generator().manual_seed(0)
    sets = {
        split: (torch.randn(n, 8, generator=gen),
                torch.randint(0, 4, (n, ), generator=gen))
        for split, n in (('train', 40), ('val', 15))
    }
    write_cache(str(tmp_path), sets)
    return str(tmp_path), sets


def test_report_matches_sklearn_majority_vote(cache, tmp_path):
    neighbors = pytest.importorskip('sklearn.neighbors')
    root, sets = cache
    out = str(tmp_path / 'report' / 'knn.json')
    report = load_tool().main(
        [root, '--k', '5', '--weighting', 'uniform', '--out', out])
    ref = neighbors.KNeighborsClassifier(
        n_neighbors=5, metric='cosine', algorithm='brute')
    ref.fit(*(t.numpy() for t in sets['train']))
    expected = 100 * ref.score(*(t.numpy() for t in sets['val']))
    assert report['top1'] == pytest.approx(expected)
    with open(out) as f:
        written = json.load(f)
    assert written['top1'] == report['top1']
    assert written['num_train'] == 40 and written['num_val'] == 15
    assert written['checkpoint'] == 'none'
    assert written['num_classes'] == 4


def test_sweep_has_one_row_per_setting(cache):
    root, _ = cache
    report = load_tool().main(
        [root, '--k', '3', '10', '--temperature', '0.07', '0.5'])
    settings = [(r['k'], r['temperature']) for r in report['results']]
    assert settings == [(3, 0.07), (3, 0.5), (10, 0.07), (10, 0.5)]
    assert report['top1'] == report['results'][0]['top1']
    assert np.all([0 <= r['top1'] <= r['top5'] <= 100
                   for r in report['results']])


def test_cache_from_another_checkpoint_is_refused(cache, tmp_path):
    root, _ = cache
    ckpt = tmp_path / 'other.pth'
    ckpt.write_bytes(b'weights')
    with pytest.raises(FeatureCacheMismatch, match='meta.json'):
        load_tool().main([root, '--expect-checkpoint', str(ckpt)])


def test_cli_names_a_missing_cache(tmp_path):
    result = subprocess.run(
        [sys.executable, TOOL, str(tmp_path / 'nothing')],
        capture_output=True, text=True, cwd=REPO)
    assert result.returncode != 0
    assert 'no feature cache here' in result.stderr
    assert 'Traceback' not in result.stderr
