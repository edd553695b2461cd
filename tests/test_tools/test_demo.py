"""tools/demo.py end to end with one pretraining epoch: every step runs, the
two retrieval reports are written and the table prints them."""
import json
import os
import os.path as osp
import re
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_demo_one_epoch(tmp_path):
    work_dir = tmp_path / 'demo'
    data_root = tmp_path / 'synthmotion'
    out = subprocess.run(
        [
            sys.executable, 'tools/demo.py', '--epochs', '1', '--work-dir',
            str(work_dir), '--data-root',
            str(data_root)
        ],
        cwd=REPO,
        env=dict(os.environ, OMP_NUM_THREADS='1'),
        capture_output=True,
        text=True,
        timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    for title in ('1/4 synthetic motion dataset', '2/4 pretraining: vcop_',
                  '3/4 retrieval, pretrained', '4/4 retrieval, random init'):
        assert title in log
    # the default config is VCOP on residual frames
    assert 'resframes' in log
    # the pretext curve is summarised (one epoch: first == last)
    line = next(line for line in log.splitlines()
                if line.startswith('pretext (epoch 1 -> 1'))
    assert 'loss_order' in line and 'acc_order' in line
    assert (data_root / 'train_list.txt').is_file()
    assert (work_dir / 'epoch_1.pth').is_file()
    rows = {}
    for name in ('pretrained', 'random'):
        with open(work_dir / f'retrieval_{name}.json') as f:
            report = json.load(f)
        recalls = [report[f'R@{k}'] for k in (1, 5, 10, 20)]
        assert all(0.0 <= r <= 1.0 for r in recalls)
        assert recalls == sorted(recalls)  # R@k grows with k
        rows[name] = recalls
    # the printed table shows exactly the reports' numbers, in percent
    for label, name in (('pretrained', 'pretrained'),
                        ('random init', 'random')):
        line = next(line for line in log.splitlines()
                    if line.startswith(label) and '%' in line)
        printed = [float(v) for v in re.findall(r'([\d.]+)%', line)]
        assert printed == [round(100 * r, 1) for r in rows[name]], line
