"""tools/analysis_tools/benchmark_train_step.py on one tiny config for one
iteration: the JSON report's keys (no timing assertions)."""
import json
import os.path as osp

from tool_modules import REPO, load_tool

tool = load_tool('tools/analysis_tools/benchmark_train_step.py',
                 'benchmark_train_step')
CONFIG = osp.join(
    REPO, 'configs/tdl/tdl_r3d-tiny_1xb16-8x32x32-triplet-40e_synthmotion.py')


def test_report_keys(synthmotion, tmp_path):
    out = tmp_path / 'report.json'
    tool.main([CONFIG, '--data-root', synthmotion, '--batch-size', '2',
               '--iters', '1', '--warmup', '0', '--breakdown-iters', '1',
               '--threads', '1', '--out', str(out)])
    report = json.loads(out.read_text())
    assert report['size'] == 'tiny'
    assert {'threads', 'load_average', 'device'} <= set(report)
    row, = report['methods']
    assert row['method'] == 'TDL'
    for key in ('method_ms', 'bare_ms', 'ratio', 'floor_ms', 'floor_ratio',
                'times_ms', 'breakdown_ms', 'flops', 'backbone_calls',
                'key_encoder_calls', 'sample_input_shape'):
        assert key in row, key
    # TDL: one online backbone call with grad, key-encoder calls without
    assert [c['grad'] for c in row['backbone_calls']] == [True]
    assert row['key_encoder_calls']
    assert set(row['times_ms']) == {'method', 'bare', 'floor'}
    assert {'method', 'bare'} <= set(row['breakdown_ms'])
    assert 'key_encoder' in row['breakdown_ms']['method']
    # FLOPs: the method (key encoder + neck + head) costs more than bare
    assert row['flops']['method']['total'] > row['flops']['bare']['total']
    assert 'backbone' in row['flops']['method']['per_module']
