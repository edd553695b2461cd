"""tools/analysis_tools/benchmark_dataloader.py on the tiny SynthMotion
fixture: report keys and stage attribution (no timing assertions)."""
import json
import os.path as osp

import torch
from mmengine.dataset import default_collate, pseudo_collate
from tool_modules import REPO, load_tool

from mmssl.datasets.loader_benchmark import (STAGES, ProbeVideoSize,
                                             SyntheticDecode,
                                             transform_stages,
                                             unbatch_timing)
from mmssl.datasets.transforms.loading import (DecordDecodeUnion,
                                               SafeDecordInit)

tool = load_tool('tools/analysis_tools/benchmark_dataloader.py',
                 'benchmark_dataloader')
CONFIG = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')


def run(synthmotion, tmp_path, *flags):
    out = tmp_path / 'report.json'
    tool.main([CONFIG, '--data-root', synthmotion, '--num-batches', '2',
               '--batch-size', '2', '--out', str(out), *flags])
    return json.loads(out.read_text())


def test_dummy_model_no_decode_report(synthmotion, tmp_path, capsys):
    report = run(synthmotion, tmp_path, '--workers', '0', '--dummy-model',
                 '--no-decode')
    assert report['measured_iterations'] == 2
    assert report['measured_samples'] == 4
    assert set(report['per_sample_ms']) == set(STAGES) | {'total'}
    assert set(report['stage_share']) == set(STAGES)
    names = list(report['per_transform_ms'])
    assert names[:4] == ['0:SafeDecordInit', '1:VCOPSampleClips',
                         '2:ProbeVideoSize', '3:SyntheticDecode']
    assert names[-1].endswith('PackSSLInputs')
    assert report['settings']['no_decode'] and \
        report['settings']['dummy_model']
    assert report['iteration_ms']['step'] < report['iteration_ms']['data']
    assert report['cpu_time_source'] in ('psutil', 'os.times')
    assert list(report['workers']) == ['-1']
    assert report['workers']['-1']['samples'] == 4
    assert report['clips_per_s'] > 0 and 0 < report['data_share'] <= 1
    assert 'clips/s' in capsys.readouterr().out


def test_real_model_and_decode_with_a_worker(synthmotion, tmp_path):
    report = run(synthmotion, tmp_path, '--workers', '1')
    assert list(report['workers']) == ['0']
    assert report['workers']['0']['cpu_s'] >= 0
    assert '2:DecordDecodeUnion' in report['per_transform_ms']
    assert report['iteration_ms']['step'] > 0
    assert 0 < report['data_share'] < 1


def test_stages_of_a_pipeline():
    transforms = [SafeDecordInit(), object(), DecordDecodeUnion(), object(),
                  type('PackSSLInputs', (), {})()]
    assert transform_stages(transforms) == [
        'open', 'sample', 'decode', 'augment', 'pack']
    assert transform_stages([SafeDecordInit(), ProbeVideoSize(),
                             SyntheticDecode()]) == ['open', 'open', 'decode']


def test_unbatch_timing_after_either_collate():
    samples = [dict(open=0.5, worker=-1), dict(open=0.25, worker=-1)]
    for collate in (pseudo_collate, default_collate):
        batched = collate(samples)
        assert unbatch_timing(batched) == samples
    assert unbatch_timing({'open': torch.tensor([1.0])}) == [{'open': 1.0}]
