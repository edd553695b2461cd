"""tools/analysis_tools/plot_retrieval.py: reads retrieval reports, draws
the figure, prints the values, and names the file/key at fault."""
import argparse
import importlib.util
import json
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
_spec = importlib.util.spec_from_file_location(
    'plot_retrieval', osp.join(REPO, 'tools/analysis_tools/plot_retrieval.py'))
plot_retrieval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plot_retrieval)


def report(path, **recalls):
    data = {'config': 'x.py', 'checkpoint': 'none', 'num_query': 64}
    data.update({f'R@{k[1:]}': v for k, v in recalls.items()})
    path.write_text(json.dumps(data))
    return str(path)


def test_plots_and_prints_the_reports(tmp_path, capsys):
    a = report(tmp_path / 'a.json', r1=0.375, r5=0.6)
    a0 = report(tmp_path / 'a0.json', r1=0.078, r5=0.4)
    b = report(tmp_path / 'b.json', r1=0.25, r5=0.5)
    out = tmp_path / 'fig.png'
    assert plot_retrieval.main(
        [f'VCOP={a}:{a0}', f'CVRL={b}', '--k', '1', '--out',
         str(out)]) == 0
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    printed = capsys.readouterr().out
    assert 'VCOP' in printed and '0.375' in printed and '0.078' in printed
    cvrl_line = next(line for line in printed.splitlines()
                     if line.startswith('CVRL'))
    assert cvrl_line.split()[1:] == ['0.250', '-']
    assert plot_retrieval.collect(
        [('VCOP', a, a0)], 5) == {'VCOP': [0.6, 0.4]}


def test_errors_name_the_input(tmp_path):
    good = report(tmp_path / 'g.json', r1=0.1)
    with pytest.raises(argparse.ArgumentTypeError, match='NAME='):
        plot_retrieval.parse_entry('no-equals-sign.json')
    with pytest.raises(FileNotFoundError, match='missing.json'):
        plot_retrieval.read_recall(str(tmp_path / 'missing.json'), 1)
    with pytest.raises(KeyError, match=r'g\.json has no "R@5"'):
        plot_retrieval.read_recall(good, 5)
    bad = tmp_path / 'bad.json'
    bad.write_text('{not json')
    with pytest.raises(ValueError, match='bad.json'):
        plot_retrieval.read_recall(str(bad), 1)
    with pytest.raises(ValueError, match='twice'):
        plot_retrieval.collect([('A', good, None), ('A', good, None)], 1)
