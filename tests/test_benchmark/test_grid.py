"""mmssl.benchmark: grid spec checks, cell materialisation and validation,
seed aggregation and the spread marking, cluster launchers."""
import os.path as osp

import pytest

from mmssl.benchmark import (aggregate_rows, dist_train_commands,
                             load_grid_spec, materialise_cell,
                             slurm_array_script, validate_cells)
from mmssl.benchmark.leaderboard import study_table
from mmssl.utils.config_validation import ConfigError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP3 = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'
VCOP5 = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-5clips-40e_synthmotion.py'
R21D = ("dict(type='ResNet2Plus1d', depth=18, stage_blocks=(1, 1, 1, 1), "
        "base_channels=16, pretrained=None, pretrained2d=False, "
        "conv_cfg=dict(type='Conv2plus1d'), conv1_kernel=(3, 7, 7), "
        "conv1_stride_t=1, pool1_stride_t=1, inflate=(1, 1, 1, 1))")


def _write(tmp_path, body, name='spec.py'):
    path = tmp_path / name
    path.write_text(body)
    return str(path)


def _spec(tmp_path, extra=''):
    return load_grid_spec(_write(tmp_path, f'''
tasks = dict(vcop=dict(category='T', levels=dict(C1={VCOP3!r},
                                                 C3={VCOP5!r})))
backbones = {{'r3d-tiny': None, 'r21d-tiny': {R21D}}}
seeds = [0, 1]
data_root = '/data/sm'
cfg_options = dict(train_cfg=dict(max_epochs=2))
{extra}'''), REPO)


def test_cells_are_the_product_of_the_axes(tmp_path):
    spec = _spec(tmp_path)
    names = [c.name for c in spec.cells()]
    assert len(names) == 2 * 2 * 1 * 2
    assert names[:3] == ['vcop-C1_r3d-tiny_full_s0',
                         'vcop-C1_r3d-tiny_full_s1',
                         'vcop-C1_r21d-tiny_full_s0']


def test_a_cell_config_overrides_backbone_level_data_schedule_seed(
        tmp_path):
    spec = _spec(tmp_path)
    cell = [c for c in spec.cells()
            if c.name == 'vcop-C3_r21d-tiny_full_s1'][0]
    cfg = materialise_cell(spec, cell, '/w/cell')
    assert cfg.model.backbone.type == 'ResNet2Plus1d'
    assert cfg.model.head.num_clips == 5  # the level's own config
    assert cfg.train_dataloader.dataset.ann_file == '/data/sm/train_list.txt'
    assert cfg.train_cfg.max_epochs == 2 and cfg.randomness.seed == 1
    assert cfg.work_dir == '/w/cell'


def test_spec_errors_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="unknown grid keys \\['taks'\\]"):
        load_grid_spec(_write(tmp_path, 'taks = 1\n'), REPO)
    with pytest.raises(ConfigError, match='no "_"'):
        load_grid_spec(_write(tmp_path, f'''
tasks = dict(vcop=dict(levels=dict(C1={VCOP3!r})))
backbones = dict(r3d_tiny=None)'''), REPO)
    with pytest.raises(ConfigError, match="config 'nope.py' not found"):
        load_grid_spec(_write(tmp_path, '''
tasks = dict(vcop=dict(levels=dict(C1='nope.py')))'''), REPO)


def test_validation_reports_every_bad_cell_before_running(tmp_path):
    spec = _spec(tmp_path, "cfg_options = dict(optim_wrapper=dict("
                 "optimizer=dict(type='SGDX')))")
    cells = spec.cells()[:2]
    with pytest.raises(ConfigError) as error:
        validate_cells(spec, cells, str(tmp_path))
    message = str(error.value)
    assert '2 of 2 grid cells are invalid' in message
    assert "optim_wrapper.optimizer.type='SGDX'" in message
    assert all(c.name in message for c in cells)


def _cell(task, level, seed, value, backbone='b'):
    record = dict(task=task, category='T', level=level, backbone=backbone,
                  subset='full', subset_size=None, seed=seed)
    return dict(record=record, metrics={'knn top-1': value,
                                        'cpu_hours': 0.5})


def test_seed_mean_spread_and_marking_of_unseparated_values():
    rows = aggregate_rows([
        _cell('vcop', 'C1', 0, 50.0), _cell('vcop', 'C1', 1, 54.0),
        _cell('vcop', 'C3', 0, 51.0), _cell('vcop', 'C3', 1, 51.0),
        _cell('prp', 'C1', 0, 30.0), _cell('prp', 'C1', 1, 30.0),
        _cell('prp', 'C3', 0, 40.0), _cell('prp', 'C3', 1, 42.0)])
    vcop1 = rows[0]
    assert vcop1['seeds'] == [0, 1] and vcop1['knn top-1'] == 52.0
    assert vcop1['knn top-1 std'] == pytest.approx(2 ** 0.5 * 2, abs=1e-4)
    table = '\n'.join(study_table(rows, 'knn top-1', 'b'))
    # vcop: best C1 52 +- 2.83; C3 51 within that spread -> marked
    assert '| full / C1 | **52.0 ± 2.8** | 30.0 ± 0.0 |' in table
    # prp: best C3 41 +- 1.41; C1 30 is 11 away -> not marked
    assert '| full / C3 | 51.0 ± 0.0 ~ | **41.0 ± 1.4** |' in table


def test_launchers_cover_every_cell(tmp_path):
    spec = _spec(tmp_path)
    cells = spec.cells()
    script = slurm_array_script(spec, cells, '/w', 'gpu')
    assert f'#SBATCH --array=0-{len(cells) - 1}' in script
    assert all(c.name in script for c in cells)
    assert '--cell "$CELL"' in script
    assert '#SBATCH --job-name=grid-spec' in script
    commands = dist_train_commands(spec, cells, '/w', REPO, gpus=2)
    assert commands.count('bash tools/dist_train.sh') == len(cells)
    assert '/w/vcop-C3_r21d-tiny_full_s1/cell_config.py 2' in commands


def test_cell_metrics_read_results_robustness_pretext_and_cost(tmp_path):
    import json

    from mmssl.benchmark import cell_metrics
    (tmp_path / 'robustness').mkdir()
    (tmp_path / 'robustness' / 'noise_robustness.json').write_text(
        json.dumps(dict(summary=dict(
            gaussian=dict(mean_relative_robustness=0.2),
            shot=dict(mean_relative_robustness=0.4)))))
    record = dict(results=dict(retrieval={'R@1': 0.25},
                               knn=dict(top1=40.0)),
                  pretext=dict(loss=1.5), cost=dict(cpu_hours=0.1))
    metrics = cell_metrics(record, str(tmp_path))
    assert metrics == {'retrieval R@1': 25.0, 'knn top-1': 40.0,
                       'robustness': 0.3, 'pretext loss': 1.5,
                       'cpu_hours': 0.1}
