"""Summary of a data-loader benchmark run (JSON report and printed table).

Inputs are the measured iterations (``data_s``: waiting for the batch,
``step_s``: the model's train step or 0 with ``--dummy-model``, ``clips``,
``videos``) and the per-sample timings of :class:`.TimedCompose`.
"""
import statistics
from collections import defaultdict
from typing import Dict, List

from .timed_compose import STAGES, TRANSFORM_PREFIX


def summarise(iterations: List[Dict], samples: List[Dict],
              cpu_source: str, settings: Dict) -> Dict:
    """The report dict (times in ms unless the key says otherwise)."""
    data_s = sum(it['data_s'] for it in iterations)
    step_s = sum(it['step_s'] for it in iterations)
    wall_s = data_s + step_s
    clips = sum(it['clips'] for it in iterations)
    videos = sum(it['videos'] for it in iterations)
    total_ms = 1000 * statistics.mean(s['total'] for s in samples)
    per_sample = {stage: 1000 * statistics.mean(s[stage] for s in samples)
                  for stage in STAGES + ('total', )}
    transforms = {
        key[len(TRANSFORM_PREFIX):]: 1000 * statistics.mean(
            s[key] for s in samples)
        for key in samples[0] if key.startswith(TRANSFORM_PREFIX)}
    return dict(
        settings=settings,
        measured_iterations=len(iterations),
        measured_samples=len(samples),
        clips_per_s=clips / wall_s,
        videos_per_s=videos / wall_s,
        data_share=data_s / wall_s,
        iteration_ms=dict(data=1000 * data_s / len(iterations),
                          step=1000 * step_s / len(iterations),
                          total=1000 * wall_s / len(iterations)),
        per_sample_ms=per_sample,
        stage_share={stage: per_sample[stage] / total_ms
                     for stage in STAGES},
        per_transform_ms=transforms,
        cpu_time_source=cpu_source,
        workers=worker_cpu(samples))


def worker_cpu(samples: List[Dict]) -> Dict[str, Dict]:
    """Per loader worker: samples, pipeline seconds, CPU seconds used
    between the start of its first and the end of its last measured sample
    (worker -1 is the main process; its span includes the model steps)."""
    groups = defaultdict(list)
    for sample in samples:
        groups[int(sample['worker'])].append(sample)
    out = {}
    for worker, group in sorted(groups.items()):
        cpu_s = (max(s['cpu_end'] for s in group) -
                 min(s['cpu_start'] for s in group))
        out[str(worker)] = dict(
            samples=len(group),
            pipeline_s=sum(s['total'] for s in group),
            cpu_s=cpu_s,
            cpu_ms_per_sample=1000 * cpu_s / len(group))
    return out


def format_summary(report: Dict) -> str:
    """Printable table of :func:`summarise`'s output."""
    s = report['settings']
    it = report['iteration_ms']
    lines = [
        f"{s['config']}  (batch {s['batch_size']}, workers "
        f"{s['num_workers']}, model "
        f"{'none (--dummy-model)' if s['dummy_model'] else 'train_step'}, "
        f"decode {'synthetic (--no-decode)' if s['no_decode'] else 'real'})",
        f"clips/s {report['clips_per_s']:.1f}   videos/s "
        f"{report['videos_per_s']:.1f}   data share of an iteration "
        f"{100 * report['data_share']:.1f}% (data {it['data']:.1f} ms, "
        f"step {it['step']:.1f} ms per iteration)",
        '| per sample | ms | share |', '|---|---|---|']
    for stage in STAGES:
        lines.append(f"| {stage} | {report['per_sample_ms'][stage]:.2f} | "
                     f"{100 * report['stage_share'][stage]:.1f}% |")
    lines.append(f"| total | {report['per_sample_ms']['total']:.2f} | |")
    lines += ['| transform | ms |', '|---|---|']
    lines += [f'| {name} | {ms:.2f} |'
              for name, ms in report['per_transform_ms'].items()]
    lines += [f"| worker ({report['cpu_time_source']}) | samples | "
              'pipeline s | CPU s | CPU ms/sample |', '|---|---|---|---|---|']
    lines += [f"| {w} | {v['samples']} | {v['pipeline_s']:.2f} | "
              f"{v['cpu_s']:.2f} | {v['cpu_ms_per_sample']:.1f} |"
              for w, v in report['workers'].items()]
    return '\n'.join(lines)
