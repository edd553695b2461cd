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


# Pins verified on the project's machines (see docs/get_started.md):
# torch must be exactly 2.13.0 (a looser spec pulls a multi-GB CUDA build),
# mmaction2 1.2.0 from PyPI is broken (missing localizers/drn), and
# mmaction2 1.1.0 needs mmcv < 2.1.0 (mmcv-lite: no compiled ops needed).
INSTALL_REQUIRES = [
    'torch==2.13.0',
    'mmengine==0.10.7',
    'mmaction2==1.1.0',
    'mmcv-lite==2.0.1',
    'decord==0.6.0',
    'numpy',
    'opencv-python-headless',
    'tqdm',
    'tensorboard',
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
    extras_require={
        # PyAV encodes the tests' coded videos and is the frame-accuracy
        # reference; for users it stays optional (backend='pyav').
        'tests': ['pytest', 'pytest-timeout', 'av>=12', 'scikit-learn'],
        'av': ['av>=12'],
    },
    license='Apache License 2.0',
    zip_safe=False,
)
