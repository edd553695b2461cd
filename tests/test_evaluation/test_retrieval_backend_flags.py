"""``--backend`` of the retrieval and k-NN tools, and the benchmark tool."""
import importlib.util
import os.path as osp

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _tool(name):
    path = osp.join(REPO, 'tools', 'analysis_tools', f'{name}.py')
    spec = importlib.util.spec_from_file_location(f'{name}_tool', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_retrieval_tool_writes_backend_into_the_metric():
    tool = _tool('retrieval')
    cfg = Config(dict(test_evaluator=dict(type='RetrievalMetric')))
    metric = tool.set_retrieval_variant(cfg, backend='faiss')
    assert metric['backend'] == 'faiss'
    assert tool.set_retrieval_variant(cfg)['backend'] == 'torch'


def test_knn_tool_backend_flag():
    tool = _tool('knn')
    assert tool.parse_args(['cache']).backend == 'torch'
    assert tool.parse_args(['cache', '--backend', 'faiss']).backend == \
        'faiss'
    with pytest.raises(SystemExit):
        tool.parse_args(['cache', '--backend', 'annoy'])


def test_benchmark_tool_tiny_run(tmp_path):
    tool = _tool('benchmark_retrieval')
    report = tool.main([
        '--num-query', '40', '--num-gallery', '70', '--dim', '8', '--k',
        '5', '--batch-size', '16', '--repeats', '1', '--out',
        str(tmp_path / 'bench.json')
    ])
    rows = report['results']['1']
    assert rows['reference']['ratio_to_reference'] == 1.0
    for name, row in rows.items():
        assert row['median_s'] >= 0
        if 'agreement' in row:
            assert row['agreement']['ok'], name
    assert osp.isfile(tmp_path / 'bench.json')
