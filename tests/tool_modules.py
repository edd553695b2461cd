"""Test helper: import a script under tools/ as a module."""
import importlib.util
import os.path as osp

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def load_tool(relative_path: str, name: str):
    """The module of ``tools/...`` script ``relative_path`` (from the repo
    root), imported under ``name``."""
    spec = importlib.util.spec_from_file_location(
        name, osp.join(REPO, relative_path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
