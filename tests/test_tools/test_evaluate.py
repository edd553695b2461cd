"""tools/analysis_tools/evaluate.py: one command from a checkpoint to a
report. Unit tests of the dataset/config defaults, the checks made before
any work and the report; end to end on the tiny SynthMotion fixture with a
one-epoch VCOP checkpoint and with ``none``, every value checked against
the standalone tools' outputs."""
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from tool_modules import run_tool

from mmssl.evaluation.suite import (EvaluationError, evaluate_checkpoint,
                                    evaluation_dataset, finetune_config_for,
                                    markdown_report, parse_protocols)
from mmssl.evaluation.suite import evaluate as suite_evaluate
from mmssl.evaluation.suite.report import table_rows

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'
VCOP_RES = ('configs/vcop/'
            'vcop_r3d-tiny_1xb8-8x32x32-3clips-resframes-40e_synthmotion.py')
VCOP_UCF = ('configs/vcop/'
            'vcop_r3d-18_1xb8-16x112x112-3clips-300e_ucf101-split1.py')
FINETUNE_DIR = osp.join(REPO, 'configs/benchmarks/finetune')
LOADERS = [
    'test_dataloader.num_workers=0', 'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False'
]
FT_OPTIONS = [
    'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
    'default_hooks.checkpoint.interval=1', *LOADERS,
    'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
    'test_dataloader.persistent_workers=False'
]


def config(path):
    return Config.fromfile(osp.join(REPO, path))


run = run_tool


# --- defaults and checks made before any work ------------------------------


def test_parse_protocols_refuses_unknown_repeated_and_empty():
    assert parse_protocols('retrieval, knn,linear') == [
        'retrieval', 'knn', 'linear'
    ]
    for bad, words in (('retrieval,probe', "unknown ['probe']"),
                       ('knn,knn', 'distinct'), ('', 'choose')):
        with pytest.raises(EvaluationError, match=words.replace('[', r'\[')):
            parse_protocols(bad)


def test_evaluation_dataset_is_the_one_the_retrieval_loader_reads():
    assert evaluation_dataset(config(VCOP)) == ('synthmotion', 1)
    assert evaluation_dataset(config(VCOP_UCF)) == ('ucf101', 1)
    with pytest.raises(EvaluationError, match='no test_dataloader'):
        evaluation_dataset(Config(dict(model=dict())))
    odd = Config(
        dict(test_dataloader=dict(dataset=dict(ann_file='x/my_list.txt'))))
    with pytest.raises(EvaluationError, match='no known dataset'):
        evaluation_dataset(odd)


def test_finetune_config_fits_backbone_and_input_representation():
    chosen = {
        path: osp.basename(
            finetune_config_for(config(path), 'synthmotion', 1, FINETUNE_DIR))
        for path in (VCOP, VCOP_RES)
    }
    assert chosen == {
        VCOP: 'r3d-tiny_finetune_synthmotion.py',
        VCOP_RES: 'r3d-tiny-resframes_finetune_synthmotion.py'
    }
    with pytest.raises(EvaluationError, match="no default config for dataset"):
        finetune_config_for(config(VCOP), 'nosuchset', 1, FINETUNE_DIR)


@pytest.mark.parametrize(
    'protocols, options, message',
    [('retrieval,knn', None, "'knn' is not available"),
     ('retrieval', dict(linear=dict(epochs=3)), 'settings given for'),
     ('finetune', dict(finetune=dict(lr=3)), '--finetune-cfg-options')])
def test_bad_requests_are_refused_before_any_work(tmp_path, monkeypatch,
                                                  protocols, options,
                                                  message):
    monkeypatch.setitem(suite_evaluate._REQUIRES, 'knn',
                        ('mmssl.evaluation.no_such_module', ))
    with pytest.raises(EvaluationError, match=message):
        evaluate_checkpoint(
            osp.join(REPO, VCOP),
            'none',
            protocols,
            str(tmp_path / 'eval'),
            options=options)
    assert not (tmp_path / 'eval').exists()


def test_table_is_in_percent_whatever_each_protocol_reports():
    rows = table_rows(
        dict(
            retrieval={'R@1': 0.25, 'R@5': 0.5, 'num_query': 4},
            knn=dict(top1=37.5, top5=100.0),
            finetune=dict(top1=0.125, top5=None)))
    assert [(r['protocol'], r['metric'], r['value']) for r in rows] == [
        ('retrieval', 'R@1', 25.0), ('retrieval', 'R@5', 50.0),
        ('knn', 'top-1', 37.5), ('knn', 'top-5', 100.0),
        ('finetune', 'top-1', 12.5)
    ]
    text = markdown_report(
        dict(
            config='c.py',
            config_sha256='a' * 64,
            checkpoint='none',
            checkpoint_sha256=None,
            seed=3,
            dataset='synthmotion',
            split=1,
            data_root='d',
            protocols=['knn'],
            table=rows[2:3]))
    assert 'random initialisation, seed 3' in text
    assert 'sha256 `aaaaaaaaaaaa`' in text
    assert '| knn | top-1 | 37.5 |' in text


def test_tool_errors_are_one_line(tmp_path):
    err = run([
        'tools/analysis_tools/evaluate.py', VCOP, 'none', '--protocols',
        'retrieval,tsne', '--work-dir',
        str(tmp_path)
    ],
              expect_failure=True)
    assert "EvaluationError: --protocols 'retrieval,tsne': unknown" in err
    assert 'Traceback' not in err
    bad = tmp_path / 'no_backbone.pth'
    torch.save(dict(state_dict={'head.fc.weight': torch.zeros(2)}), bad)
    err = run([
        'tools/analysis_tools/evaluate.py', VCOP,
        str(bad), '--protocols', 'retrieval', '--work-dir',
        str(tmp_path / 'eval')
    ],
              expect_failure=True)
    assert 'CheckpointMismatchError' in err and str(bad) in err
    assert 'Traceback' not in err


# --- end to end on the tiny SynthMotion fixture ----------------------------


@pytest.fixture(scope='module')
def checkpoint(synthmotion, tmp_path_factory):
    """One epoch of tiny VCOP (16 train videos, batch 8: 2 iterations)."""
    work_dir = str(tmp_path_factory.mktemp('vcop'))
    run([
        'tools/train.py', VCOP, '--work-dir', work_dir, '--data-root',
        synthmotion, '--cfg-options', 'train_cfg.max_epochs=1', *LOADERS
    ])
    return osp.join(work_dir, 'epoch_1.pth')


def evaluate(weights, work_dir, root, protocols, *extra):
    log = run([
        'tools/analysis_tools/evaluate.py', VCOP, weights, '--protocols',
        protocols, '--work-dir', work_dir, '--data-root', root,
        '--cfg-options', 'test_dataloader.num_workers=0', *extra
    ])
    with open(osp.join(work_dir, 'evaluation.json')) as f:
        return json.load(f), log


def standalone(work_dir, weights, root):
    """The standalone tools' reports on the same checkpoint and cache."""
    out = {}
    run([
        'tools/analysis_tools/retrieval.py', VCOP, weights, '--data-root',
        root, '--cfg-options', 'test_dataloader.num_workers=0', '--out',
        osp.join(work_dir, 'retrieval_tool.json')
    ])
    cache = osp.join(work_dir, 'features')
    run([
        'tools/analysis_tools/knn.py', cache, '--k', '20', '--temperature',
        '0.07', '--out',
        osp.join(work_dir, 'knn_tool.json')
    ])
    run([
        'tools/analysis_tools/linear_probe.py', cache, '--out',
        osp.join(work_dir, 'linear_tool.json')
    ])
    for name in ('retrieval', 'knn', 'linear'):
        with open(osp.join(work_dir, f'{name}_tool.json')) as f:
            out[name] = json.load(f)
    return out


def check_against_tools(report, tools):
    results = report['results']
    for k in (1, 5, 10, 20, 50):
        assert results['retrieval'][f'R@{k}'] == tools['retrieval'][f'R@{k}']
    assert results['retrieval']['per_class'] == \
        tools['retrieval']['per_class']
    for name in ('knn', 'linear'):
        for key in ('top1', 'top5'):
            assert results[name][key] == pytest.approx(tools[name][key],
                                                       abs=1e-9), name


def test_checkpoint_all_protocols_match_the_standalone_tools(
        checkpoint, synthmotion, tmp_path):
    work_dir = str(tmp_path / 'eval')
    report, log = evaluate(checkpoint, work_dir, synthmotion,
                           'retrieval,knn,linear,finetune',
                           '--finetune-cfg-options', *FT_OPTIONS)
    for protocol in ('features (once, for retrieval, knn, linear)',
                     'retrieval:', 'knn:', 'linear:', 'finetune:'):
        assert f'[evaluate] {protocol}' in log
    assert report['checkpoint'] == checkpoint
    assert len(report['checkpoint_sha256']) == 64
    assert report['dataset'] == 'synthmotion'
    assert report['protocols'] == ['retrieval', 'knn', 'linear', 'finetune']
    assert {(r['protocol'], r['metric'])
            for r in report['table']} >= {('retrieval', 'R@1'),
                                          ('knn', 'top-1'),
                                          ('linear', 'top-1'),
                                          ('finetune', 'top-1')}
    check_against_tools(report, standalone(work_dir, checkpoint, synthmotion))
    # fine-tuned from the checkpoint, tested by tools/test.py
    finetune = report['results']['finetune']
    assert osp.basename(finetune['config']) == \
        'r3d-tiny_finetune_synthmotion.py'
    with open(osp.join(work_dir, 'finetune', 'train.log')) as f:
        assert f'Load checkpoint from {checkpoint}' in f.read()
    assert f'load_from={checkpoint}' in finetune['commands'][0]
    assert finetune['top1'] == finetune['metrics']['acc/top1']
    with open(osp.join(work_dir, 'evaluation.md')) as f:
        text = f.read()
    assert report['checkpoint_sha256'][:12] in text
    top1 = next(r for r in report['table'] if r['protocol'] == 'finetune')
    assert f'| finetune | top-1 | {top1["value"]:.1f} |' in text


def test_random_init_baseline_matches_the_standalone_tools(
        synthmotion, tmp_path):
    work_dir = str(tmp_path / 'eval_none')
    report, _ = evaluate('none', work_dir, synthmotion, 'retrieval,knn,linear')
    assert report['checkpoint'] == 'none'
    assert report['checkpoint_sha256'] is None
    assert sorted(report['results']) == ['knn', 'linear', 'retrieval']
    check_against_tools(report, standalone(work_dir, 'none', synthmotion))
