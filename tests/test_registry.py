"""mmssl registries resolve MMAction2 types through their parents."""
import subprocess
import sys
import textwrap


def run_fresh(code: str) -> str:
    """Run code in a fresh interpreter (no modules imported beforehand)."""
    out = subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                         capture_output=True,
                         text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_mmaction_types_resolve_from_mmssl_scope_without_prefix():
    stdout = run_fresh("""
        from mmengine.registry import init_default_scope
        init_default_scope('mmssl')
        from mmssl.registry import DATASETS, METRICS, MODELS, TRANSFORMS
        # no register_all_modules() call: the locations must pull MMAction2 in
        print(MODELS.get('ResNet3d').__module__)
        print(MODELS.get('C3D').__module__)
        print(MODELS.get('ResNet2Plus1d').__module__)
        print(MODELS.get('ActionDataPreprocessor').__module__)
        print(DATASETS.get('VideoDataset').__module__)
        print(TRANSFORMS.get('DecordInit').__module__)
        print(METRICS.get('AccMetric').__module__)
        print(MODELS.get('VCOP').__module__)
        print(TRANSFORMS.get('VCOPSampleClips').__module__)
        print(METRICS.get('RetrievalMetric').__module__)
        """)
    lines = stdout.split()
    assert lines[:7] == [
        'mmaction.models.backbones.resnet3d', 'mmaction.models.backbones.c3d',
        'mmaction.models.backbones.resnet2plus1d',
        'mmaction.models.data_preprocessors.data_preprocessor',
        'mmaction.datasets.video_dataset', 'mmaction.datasets.transforms.loading',
        'mmaction.evaluation.metrics.acc_metric'
    ]
    assert lines[7:] == [
        'mmssl.models.algorithms.vcop',
        'mmssl.datasets.transforms.vcop_sampling',
        'mmssl.evaluation.metrics.retrieval_metric'
    ]


def test_register_all_modules_sets_scope_and_does_not_touch_mmaction():
    stdout = run_fresh("""
        from mmengine import DefaultScope
        from mmssl.utils import register_all_modules
        register_all_modules()
        print(DefaultScope.get_current_instance().scope_name)
        from mmaction.registry import MODELS
        print('VCOP' in MODELS.module_dict)
        """)
    assert stdout.split() == ['mmssl', 'False']
