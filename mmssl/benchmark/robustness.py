"""The grid's ``robustness`` protocol: the noise robustness of a cell's
fine-tuned classifier (Kumar et al., Sec. 4.4).

``tools/analysis_tools/evaluate.py``'s ``finetune`` protocol leaves a
``Recognizer3D`` checkpoint and the config it was trained with (MMEngine's
dump, with the data root and ``finetune_cfg_options`` applied) in
``<cell>/eval/finetune/``. The ``robustness`` protocol runs
``tools/analysis_tools/noise_robustness.py`` on that pair into
``<cell>/robustness/noise_robustness.json``, which the leaderboard reads
(the mean over noises of ``(A_clean - A_noisy) / A_clean``).

A linear probe leaves no classifier checkpoint (it is trained on cached
features), so ``robustness`` needs ``finetune`` in the same ``protocols``;
:func:`check_robustness_spec` says so before anything runs.
"""
import json
import os.path as osp
import sys
from typing import List, Tuple

from mmssl.utils.config_validation import ConfigError

__all__ = ['ROBUSTNESS', 'ROBUSTNESS_OPTIONS', 'check_robustness_spec',
           'finetuned_classifier', 'robustness_command',
           'emitted_robustness_line']

ROBUSTNESS = 'robustness'
REPORT = osp.join('robustness', 'noise_robustness.json')
# protocol_options['robustness'] key -> noise_robustness.py flag
ROBUSTNESS_OPTIONS = {
    'noises': '--noises',
    'severities': '--severities',
    'clips': '--num-clips',
    'split': '--split',
    'position': '--position',
    'shared_across_frames': '--shared-across-frames',
    'batch_size': '--batch-size',
    'num_workers': '--num-workers',
}


def check_robustness_spec(protocols: List[str], options: dict,
                          where: str) -> None:
    """One-line :class:`ConfigError` for a ``robustness`` request that
    cannot run: no ``finetune``, unknown option keys or values."""
    if ROBUSTNESS not in protocols:
        return
    if 'finetune' not in protocols:
        raise ConfigError(
            f'{where}: protocol "robustness" scores the fine-tuned '
            'classifier; add "finetune" to protocols (a linear probe leaves '
            'no classifier checkpoint)')
    settings = options.get(ROBUSTNESS) or {}
    if not isinstance(settings, dict):
        raise ConfigError(f'{where}: protocol_options.robustness must be a '
                          f'dict, got {settings!r}')
    unknown = sorted(set(settings) - set(ROBUSTNESS_OPTIONS))
    if unknown:
        raise ConfigError(f'{where}: unknown protocol_options.robustness '
                          f'keys {unknown}; known: '
                          f'{sorted(ROBUSTNESS_OPTIONS)}')
    from mmssl.datasets.transforms.corruptions import NOISE_SEVERITIES
    noises = list(settings.get('noises', []))
    bad = [n for n in noises if n not in NOISE_SEVERITIES]
    severities = list(settings.get('severities', []))
    bad += [s for s in severities if s not in (1, 2, 3, 4, 5)]
    if bad or ('noises' in settings and not noises) or (
            'severities' in settings and not severities):
        raise ConfigError(
            f'{where}: protocol_options.robustness: noises must be a '
            f'non-empty list from {sorted(NOISE_SEVERITIES)} and severities '
            f'from 1-5 (bad: {bad or "empty list"})')
    if settings.get('position', 'input') not in ('input', 'decoded'):
        raise ConfigError(f'{where}: protocol_options.robustness.position '
                          'must be "input" or "decoded"')


def finetuned_classifier(eval_dir: str) -> Tuple[str, str]:
    """``(config, checkpoint)`` of the fine-tuned classifier that
    ``evaluate.py`` left in ``eval_dir``.

    Raises:
        FileNotFoundError: No fine-tuning result there (names what to add).
    """
    try:
        with open(osp.join(eval_dir, 'evaluation.json')) as f:
            finetune = json.load(f)['results']['finetune']
        checkpoint = finetune['checkpoint']
        config = osp.join(eval_dir, 'finetune',
                          osp.basename(finetune['config']))
    except (OSError, ValueError, KeyError, TypeError):
        raise FileNotFoundError(
            f'protocol "robustness" needs a fine-tuned classifier, but '
            f'{eval_dir}/evaluation.json has no "finetune" result: add '
            '"finetune" to the grid\'s protocols') from None
    for path in (config, checkpoint):
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'protocol "robustness": {path} (from the finetune '
                'protocol) is missing; rerun the cell')
    return config, checkpoint


def robustness_command(repo: str, settings: dict, seed: int, config: str,
                       checkpoint: str, cell_dir: str) -> List[str]:
    """``noise_robustness.py`` on a cell's fine-tuned classifier."""
    cmd = [sys.executable,
           osp.join(repo, 'tools/analysis_tools/noise_robustness.py'),
           config, checkpoint, '--out-dir',
           osp.join(cell_dir, 'robustness'), '--seed', str(seed)]
    for key, value in (settings or {}).items():
        flag = ROBUSTNESS_OPTIONS[key]
        if key == 'shared_across_frames':
            cmd += [flag] if value else []
        elif isinstance(value, (list, tuple)):
            cmd += [flag, *map(str, value)]
        else:
            cmd += [flag, str(value)]
    return cmd


def emitted_robustness_line(settings: dict, seed: int,
                            cell_dir: str) -> List[str]:
    """The command for a shell script (``--emit commands``): the config
    and checkpoint are resolved when the line runs."""
    finetune = osp.join(cell_dir, 'eval', 'finetune')
    cmd = robustness_command('.', settings, seed, '@CONFIG', '@CKPT',
                             cell_dir)
    cmd[0:2] = ['python', 'tools/analysis_tools/noise_robustness.py']
    cmd[2] = f'$(ls {finetune}/*.py | head -n 1)'
    cmd[3] = f'$(cat {finetune}/last_checkpoint)'
    return cmd

