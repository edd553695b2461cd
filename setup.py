"""Install mmssl: self-supervised video representation learning for MMAction2."""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_version() -> str:
    """Read ``__version__`` from mmssl/version.py without importing mmssl."""
    namespace = {}
    with open(osp.join(HERE, 'mmssl', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


# Ranges, not pins: mmssl installs into a user's existing MMAction2
# environment (usually with a CUDA torch chosen for the cluster) and keeps
# what is there when it fits. Lower bounds (docs/get_started.md#dependencies):
# - torch >= 2.6: torch.load defaults to weights_only=True (mmssl relies on
#   it to refuse checkpoints that carry code) and add_safe_globals accepts
#   the (callable, 'module.name') entries mmssl allow-lists
#   (mmssl/utils/checkpoint_safety.py). No torchvision: not needed.
# - mmengine >= 0.10.0, < 1: the 0.10 runner/hook/checkpoint API mmssl
#   extends (see get_started for what was checked).
# - mmaction2 >= 1.1.0, != 1.2.0: 1.x registries and data structures;
#   1.2.0 on PyPI lacks mmaction/models/localizers/drn, so
#   `import mmaction.models` fails.
# - decord >= 0.6.0: VideoReader.get_key_indices and the sequential
#   get_batch that frame-accurate decoding uses.
# mmcv is deliberately not listed: an MMAction2 environment already has
# `mmcv` (with compiled ops), and a second distribution writing `mmcv/`
# would overwrite it. `.[lite]` adds mmcv-lite (no compiled ops; mmssl
# needs none) for a fresh environment. OpenCV comes from mmaction2
# (opencv-contrib-python) and mmengine (opencv-python); adding a third
# distribution of `cv2/` would only make them overwrite each other.
# The exact tested set is requirements/constraints.txt (README commands).
INSTALL_REQUIRES = [
    'torch>=2.6,<3',
    'mmengine>=0.10.0,<1',
    'mmaction2>=1.1.0,!=1.2.0,<2',
    'decord>=0.6.0',
    'numpy',
    'tqdm',
    'tensorboard',
]

EXTRAS_REQUIRE = {
    # mmaction2 1.1.0 asserts 2.0.0rc4 <= mmcv < 2.1.0 at import
    'lite': ['mmcv-lite>=2.0.0rc4,<2.1.0'],
    # PyAV: the optional second decoder and the frame-accuracy reference
    'av': ['av>=12'],
    # tools/deployment/export_encoder.py --format onnx and its check
    'export': ['onnx>=1.15', 'onnxruntime>=1.17'],
    # faiss: the optional retrieval / k-NN search backend (--backend faiss);
    # only IndexFlatIP / IndexFlatL2 .search are used (in every 1.7+
    # release); tested with the constraints' 1.15.1
    'faiss': ['faiss-cpu>=1.7'],
}
# PyAV encodes the tests' coded videos; onnx + onnxruntime check the export;
# faiss-cpu runs the faiss search backend's agreement tests
EXTRAS_REQUIRE['tests'] = [
    'pytest', 'pytest-timeout', 'scikit-learn', 'av>=12',
    'onnx>=1.15', 'onnxruntime>=1.17', 'faiss-cpu>=1.7'
]

setup(
    name='mmssl',
    version=read_version(),
    description='Self-supervised video representation learning for MMAction2',
    long_description=open(osp.join(HERE, 'README.md')).read(),
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('tests', 'configs', 'tools', 'docs')),
    python_requires='>=3.9',
    install_requires=INSTALL_REQUIRES,
    extras_require=EXTRAS_REQUIRE,
    license='Apache License 2.0',
    zip_safe=False,
)
