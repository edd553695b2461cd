"""Test helpers: import a script under tools/ as a module, or run it."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def load_tool(relative_path: str, name: str):
    """The module of ``tools/...`` script ``relative_path`` (from the repo
    root), imported under ``name``."""
    spec = importlib.util.spec_from_file_location(
        name, osp.join(REPO, relative_path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(args, expect_failure: bool = False) -> str:
    """Run ``python *args`` from the repo root (one torch thread, the
    checkout on ``PYTHONPATH``); assert the exit status (non-zero iff
    ``expect_failure``) and return stdout + stderr (stderr alone on an
    expected failure)."""
    out = subprocess.run([sys.executable, *args],
                         cwd=REPO,
                         env=dict(os.environ, PYTHONPATH=REPO,
                                  OMP_NUM_THREADS='1'),
                         capture_output=True,
                         text=True,
                         timeout=600)
    log = out.stdout + out.stderr
    assert (out.returncode != 0) == expect_failure, log[-4000:]
    return out.stderr if expect_failure else log
