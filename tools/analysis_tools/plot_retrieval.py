"""Bar chart of retrieval Recall@k: pretrained backbones against random init.

Reads the JSON reports written by ``tools/analysis_tools/retrieval.py`` and
draws, for each method, a bar for its pretrained backbone next to a bar for
the random initialisation it is compared with.

Example::

    python tools/analysis_tools/plot_retrieval.py \
        VCOP=work_dirs/vcop/retrieval.json:work_dirs/vcop/retrieval_random.json \
        CVRL=work_dirs/cvrl/retrieval.json:work_dirs/cvrl/retrieval_random.json \
        --k 1 --title "SynthMotion, residual frames" --out r_at_1.png

Each positional argument is ``NAME=PRETRAINED.json[:RANDOM.json]``; without
a random report only the pretrained bar is drawn.
"""
import argparse
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

Entry = Tuple[str, str, Optional[str]]


def parse_entry(text: str) -> Entry:
    """``'NAME=PRE.json[:RAND.json]'`` -> ``(name, pretrained, random)``."""
    name, sep, paths = text.partition('=')
    if not sep or not name or not paths:
        raise argparse.ArgumentTypeError(
            f'expected NAME=PRETRAINED.json[:RANDOM.json], got {text!r}')
    pretrained, _, random_init = paths.partition(':')
    return name, pretrained, random_init or None


def read_recall(path: str, k: int) -> float:
    """Recall@k from a retrieval report, with errors naming file and key."""
    if not osp.isfile(path):
        raise FileNotFoundError(f'retrieval report not found: {path}')
    with open(path) as f:
        try:
            report = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f'{path}: not a JSON report ({err})') from err
    key = f'R@{k}'
    if key not in report:
        found = sorted(x for x in report if x.startswith('R@'))
        raise KeyError(f'{path} has no "{key}" (it has {found}); run the '
                       f'retrieval tool with k={k} in its evaluator')
    return float(report[key])


def collect(entries: Sequence[Entry],
            k: int) -> Dict[str, List[Optional[float]]]:
    """Recall@k of every entry: ``{name: [pretrained, random or None]}``."""
    values = {}
    for name, pretrained, random_init in entries:
        if name in values:
            raise ValueError(f'method name {name!r} is given twice')
        values[name] = [
            read_recall(pretrained, k),
            read_recall(random_init, k) if random_init else None
        ]
    return values


def plot(values: Dict[str, List[Optional[float]]], k: int, out: str,
         title: Optional[str] = None) -> None:
    """Draw grouped bars (pretrained, random init) and save to ``out``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    names = list(values)
    width = 0.38
    fig, ax = plt.subplots(figsize=(max(4.0, 0.9 * len(names) + 1.5), 3.6))
    for offset, index, label, colour in ((-width / 2, 0, 'pretrained',
                                          '#3b7dd8'),
                                         (width / 2, 1, 'random init',
                                          '#b0b0b0')):
        xs = [i + offset for i, n in enumerate(names)
              if values[n][index] is not None]
        ys = [values[n][index] for n in names if values[n][index] is not None]
        if not ys:
            continue
        bars = ax.bar(xs, ys, width, label=label, color=colour)
        ax.bar_label(bars, labels=[f'{y:.2f}' for y in ys], fontsize=7,
                     padding=1)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha='right', fontsize=8)
    ax.set_ylabel(f'Recall@{k}')
    ax.set_ylim(0, min(1.0, 1.15 * max(
        v for pair in values.values() for v in pair if v is not None) + 0.05))
    if title:
        ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'entries',
        nargs='+',
        type=parse_entry,
        metavar='NAME=PRETRAINED.json[:RANDOM.json]')
    parser.add_argument('--k', type=int, default=1, help='cut-off k')
    parser.add_argument('--out', required=True, help='image path (.png/.svg)')
    parser.add_argument('--title', default=None)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    values = collect(args.entries, args.k)
    plot(values, args.k, args.out, args.title)
    print(f'{"method":<24}{"pretrained":>12}{"random init":>13}')
    for name, (pre, rand) in values.items():
        rand_text = '-' if rand is None else f'{rand:.3f}'
        print(f'{name:<24}{pre:>12.3f}{rand_text:>13}')
    print(f'figure written to {args.out}')
    return 0


if __name__ == '__main__':
    raise SystemExit(main())
