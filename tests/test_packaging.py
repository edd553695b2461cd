"""Packaging: supported ranges in setup.py, the tested set in
requirements/constraints.txt, pip keeping a user's own torch, and no
OpenCV distribution beyond those the upstream packages require."""
import json
import os
import os.path as osp
import runpy
import subprocess
import sys
import warnings
from importlib import metadata
from unittest import mock

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def setup_kwargs(repo: str = REPO) -> dict:
    """The keyword arguments setup.py passes to ``setuptools.setup``."""
    captured = {}
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # setuptools' distutils notice
        with mock.patch('setuptools.setup',
                        lambda **kw: captured.update(kw)):
            runpy.run_path(osp.join(repo, 'setup.py'), run_name='__main__')
    return captured


def requirements_by_name(lines):
    return {Requirement(line).name.lower(): Requirement(line)
            for line in lines}


def constraint_pins(repo: str = REPO) -> dict:
    pins = {}
    with open(osp.join(repo, 'requirements', 'constraints.txt')) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                name, version = line.split('==')
                pins[name.strip().lower()] = version.strip()
    return pins


def test_ranges_accept_other_torch_builds_and_skip_broken_mmaction():
    requires = requirements_by_name(setup_kwargs()['install_requires'])
    torch = requires['torch'].specifier
    for version in ('2.6.0', '2.8.0+cu128', '2.13.0', '2.13.0+cpu'):
        assert torch.contains(version), version
    assert not torch.contains('2.5.1')  # no weights_only default
    mmaction = requires['mmaction2'].specifier
    assert mmaction.contains('1.1.0') and not mmaction.contains('1.2.0')
    # a user's MMAction2 environment keeps its own mmcv and OpenCV
    assert not [n for n in requires if n.startswith(('mmcv', 'opencv'))]


def test_no_opencv_of_our_own_and_mmcv_lite_only_as_extra():
    kwargs = setup_kwargs()
    extras = kwargs['extras_require']
    every = kwargs['install_requires'] + sum(extras.values(), [])
    assert not [r for r in every if r.lower().startswith('opencv')]
    assert [Requirement(r).name for r in extras['lite']] == ['mmcv-lite']
    tests = requirements_by_name(extras['tests'])
    assert {'onnx', 'onnxruntime', 'av', 'pytest'} <= set(tests)
    assert {'onnx', 'onnxruntime'} == set(requirements_by_name(
        extras['export']))


def test_constraints_pin_versions_inside_the_supported_ranges():
    kwargs = setup_kwargs()
    ranges = requirements_by_name(
        kwargs['install_requires'] + sum(kwargs['extras_require'].values(),
                                         []))
    pins = constraint_pins()
    assert pins['torch'] == '2.13.0'
    for name, requirement in ranges.items():
        if name in pins:
            assert requirement.specifier.contains(
                Version(pins[name]), prereleases=True), (name, pins[name])


def _fake_distribution(site_packages: str, name: str, version: str) -> None:
    """Metadata of an installed ``name==version`` (no code), as pip sees it."""
    info = osp.join(site_packages, f'{name}-{version}.dist-info')
    os.makedirs(info)
    with open(osp.join(info, 'METADATA'), 'w') as f:
        f.write(f'Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n')
    with open(osp.join(info, 'INSTALLER'), 'w') as f:
        f.write('pip\n')
    open(osp.join(info, 'RECORD'), 'w').close()


def pip_plan_beside_torch(tmp_path, repo: str, torch_version: str) -> list:
    """What ``pip install -e REPO`` would install into a venv whose torch is
    ``torch_version`` (other dependencies: this interpreter's).

    The venv sees this interpreter's packages (a ``.pth`` file naming its
    site-packages folders, so this works from inside a venv too) after its
    own, metadata-only torch, which shadows theirs. ``pip install --dry-run
    --no-index`` then resolves offline.

    Returns:
        list[str]: ``name==version`` of what pip would install.
    """
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip',
                    str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    site = subprocess.run(
        [python, '-c',
         'import sysconfig; print(sysconfig.get_path("purelib"))'],
        check=True, capture_output=True, text=True).stdout.strip()
    _fake_distribution(site, 'torch', torch_version)
    outer = [p for p in sys.path
             if osp.basename(p) in ('site-packages', 'dist-packages')]
    with open(osp.join(site, 'outer_environment.pth'), 'w') as f:
        f.write(''.join(f'{p}\n' for p in outer))
    report = tmp_path / 'report.json'
    result = subprocess.run(
        [sys.executable, '-m', 'pip', '--python', python, 'install',
         '--dry-run', '--no-index', '--no-build-isolation', '--quiet',
         '--report', str(report), '-e', repo],
        capture_output=True, text=True, env=dict(
            os.environ, PIP_DISABLE_PIP_VERSION_CHECK='1'))
    if result.returncode != 0:
        return [f'pip failed: {result.stderr[-2000:]}']
    plan = json.loads(report.read_text())['install']
    return [f'{item["metadata"]["name"]}=={item["metadata"]["version"]}'
            for item in plan]


def test_pip_install_keeps_the_installed_torch(tmp_path):
    from importlib.metadata import version
    pip_version = Version(version('pip'))
    if pip_version < Version('22.3'):
        pytest.skip('pip --python needs pip >= 22.3')
    plan = pip_plan_beside_torch(tmp_path, REPO, '2.7.1')
    assert [p.split('==')[0] for p in plan] == ['mmssl'], plan


def test_ci_runs_the_readme_test_command():
    """.ci/run calls the README's install-and-test command verbatim, and
    both README commands install with the tested constraints."""
    with open(osp.join(REPO, 'README.md')) as f:
        commands = [line.strip() for line in f
                    if line.startswith('python -m pip install')]
    assert len(commands) == 2, commands
    assert all('-c requirements/constraints.txt' in c for c in commands)
    test_command = [c for c in commands
                    if c.endswith('python -m pytest tests')]
    with open(osp.join(REPO, '.ci', 'run')) as f:
        ci_lines = [line.strip() for line in f]
    assert test_command and test_command[0] in ci_lines


#: The packages whose OpenCV requirement a user's environment keeps.
UPSTREAM = ('mmaction2', 'mmcv', 'mmcv-lite', 'mmengine')


def installed_distributions() -> dict:
    """Canonical name -> :class:`importlib.metadata.Distribution` of this
    interpreter's packages (the first one on ``sys.path`` per name)."""
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata['Name']
        if name:
            found.setdefault(canonicalize_name(name), dist)
    return found


def base_requirements(dist) -> set:
    """Canonical names ``dist`` requires here without any extra."""
    names = set()
    for line in dist.requires or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(
                {'extra': ''}):
            names.add(canonicalize_name(requirement.name))
    return names


def all_requirements(dist) -> set:
    """Canonical names ``dist`` requires, with every extra."""
    return {canonicalize_name(Requirement(line).name)
            for line in dist.requires or []}


def upstream_closure(installed: dict) -> set:
    """The installed :data:`UPSTREAM` packages and what they require,
    transitively (base requirements; never through mmssl)."""
    todo = [canonicalize_name(n) for n in UPSTREAM
            if canonicalize_name(n) in installed]
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen or name == 'mmssl':
            continue
        seen.add(name)
        todo.extend(n for n in base_requirements(installed[name])
                    if n in installed)
    return seen


def cv2_distributions(installed: dict) -> list:
    """Names of the installed distributions that write ``cv2/``."""
    return sorted(
        name for name, dist in installed.items()
        if any(str(f).replace('\\', '/') == 'cv2/__init__.py'
               for f in dist.files or []))


def test_only_upstream_opencv_distributions_are_installed():
    installed = installed_distributions()
    assert 'mmssl' in installed, 'mmssl is not installed (pip install -e .)'
    ours = all_requirements(installed['mmssl'])
    upstream = upstream_closure(installed)
    cv2_dists = cv2_distributions(installed)
    assert cv2_dists, 'no installed distribution provides cv2'
    offending = []
    for name in cv2_dists:
        requirers = sorted(
            other for other, dist in installed.items()
            if name in base_requirements(dist))
        allowed = [r for r in requirers if r in upstream]
        if not allowed or name in ours:
            offending.append(
                f'{name} {installed[name].version} (required by '
                f'{", ".join(requirers) or "nothing installed"}'
                f'{"; by mmssl itself" if name in ours else ""})')
    assert not offending, (
        'OpenCV distributions that write cv2/ beyond those '
        f'{"/".join(UPSTREAM)} (or their dependencies) require: '
        f'{"; ".join(offending)}')
    # the acceptance command, verbatim
    result = subprocess.run([sys.executable, '-c', 'import cv2'],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
