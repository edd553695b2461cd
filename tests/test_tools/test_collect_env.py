"""tools/misc/collect_env.py: the environment report."""
from tool_modules import load_tool


def test_report_names_versions_opencv_and_constraint_differences(
        tmp_path, capsys):
    tool = load_tool('tools/misc/collect_env.py', 'collect_env_tool')
    env = tool.main(['--json'])
    for key in ('PyTorch', 'MMEngine', 'mmssl', 'mmaction2', 'decord',
                'OpenCV distributions (write cv2/)',
                'torch.serialization.add_safe_globals'):
        assert key in env, key
    assert 'opencv-python' in env['OpenCV distributions (write cv2/)']
    assert env['torch.serialization.add_safe_globals'] is True
    assert '"mmssl"' in capsys.readouterr().out

    pins = tmp_path / 'constraints.txt'
    pins.write_text('# tested\npytest==0.0.1\nno-such-package==1.0\n')
    diff = tool.differences_from_constraints(tool.read_constraints(str(pins)))
    assert diff['pytest'].endswith('tested 0.0.1')
    assert diff['no-such-package'] == 'not installed, tested 1.0'
