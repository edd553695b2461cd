"""configs/<method>/metafile.yml (OpenMMLab model index): every config of
the folder is listed, paths exist, results name their dataset and source."""
import glob
import numbers
import os.path as osp

import pytest
import yaml

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
NOT_METHODS = ('_base_', 'benchmarks', 'analysis')


def method_folders():
    return sorted(
        osp.basename(d) for d in glob.glob(osp.join(REPO, 'configs', '*'))
        if osp.isdir(d) and osp.basename(d) not in NOT_METHODS
        and glob.glob(osp.join(d, '**', '*.py'), recursive=True))


def folder_configs(folder):
    root = osp.join(REPO, 'configs', folder)
    return sorted(
        osp.relpath(p, REPO)
        for p in glob.glob(osp.join(root, '**', '*.py'), recursive=True)
        if '_base_' not in osp.relpath(p, root).split(osp.sep))


@pytest.mark.parametrize('folder', method_folders())
def test_metafile_lists_every_config(folder):
    path = osp.join(REPO, 'configs', folder, 'metafile.yml')
    assert osp.isfile(path), f'configs/{folder} has no metafile.yml'
    with open(path) as f:
        meta = yaml.safe_load(f)
    collections = {c['Name']: c for c in meta['Collections']}
    for collection in collections.values():
        assert collection['Paper']['Title']
        for key in ('README', 'Docs'):
            if key in collection:
                assert osp.isfile(osp.join(REPO, collection[key])), \
                    collection[key]
    names = [m['Name'] for m in meta['Models']]
    assert len(names) == len(set(names)), 'duplicate model names'
    listed = sorted(m['Config'] for m in meta['Models'])
    assert listed == folder_configs(folder)
    for model in meta['Models']:
        assert model['In Collection'] in collections
        assert model['Name'] == osp.splitext(osp.basename(model['Config']))[0]
        assert model['Weights'] is None  # none released yet
        for result in model.get('Results', []):
            assert result['Task'] and result['Dataset']
            assert result['Metrics'] and all(
                isinstance(v, numbers.Number)
                for v in result['Metrics'].values())
            assert osp.isfile(osp.join(REPO, result['Source']))
