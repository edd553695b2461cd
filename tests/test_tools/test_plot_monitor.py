"""tools/analysis_tools/plot_monitor.py: monitor scalars -> PNG."""
import importlib.util
import json
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(REPO, 'tools', 'analysis_tools', 'plot_monitor.py')


def load_tool():
    spec = importlib.util.spec_from_file_location('plot_monitor', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def monitor_row(step, top1):
    return {'monitor/knn_top1': top1, 'monitor/knn_top5': top1 + 10,
            'monitor/retrieval_R@1': top1 - 1, 'monitor/std_mean': 0.05,
            'monitor/std_min': 0.01, 'monitor/std_reference': 0.088,
            'monitor/effective_rank': 10.0 + step, 'step': step}


def write_run(work_dir, stamp, rows):
    path = work_dir / stamp / 'vis_data' / 'scalars.json'
    path.parent.mkdir(parents=True)
    path.write_text(''.join(json.dumps(r) + '\n' for r in rows))
    return path


def test_resumed_work_dir_is_one_curve_and_png(tmp_path):
    write_run(tmp_path, '20260101_000000', [
        monitor_row(0, 12.5), {'loss': 1.0, 'epoch': 1, 'step': 4},
        monitor_row(1, 20.0), monitor_row(2, 25.0)])
    # resumed from epoch 1: epoch 2 is logged again and replaces the first
    write_run(tmp_path, '20260102_000000', [
        monitor_row(2, 30.0), monitor_row(3, 40.0)])
    out = tmp_path / 'png' / 'monitor.png'
    curves = load_tool().main([str(tmp_path), '--out', str(out)])
    assert list(curves) == [0, 1, 2, 3]
    assert [c['monitor/knn_top1'] for c in curves.values()] == [
        12.5, 20.0, 30.0, 40.0]
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


def test_run_without_monitor_is_named(tmp_path):
    path = write_run(tmp_path, '20260101_000000',
                     [{'loss': 1.0, 'step': 1}])
    with pytest.raises(ValueError, match='RepresentationMonitorHook'):
        load_tool().main([str(path), '--out', str(tmp_path / 'x.png')])
    (tmp_path / 'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='scalars.json'):
        load_tool().main([str(tmp_path / 'empty'), '--out', 'x.png'])
