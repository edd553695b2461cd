"""The JSON report every evaluation / analysis tool prints and writes."""
import json
import os
import os.path as osp
from typing import Optional


def emit_json_report(report: dict, out: Optional[str] = None) -> dict:
    """Print ``report`` as indented JSON and, if ``out`` is given, write it
    there (parent folders are created).

    Args:
        report (dict): JSON-serialisable report.
        out (str, optional): Path of the JSON file.

    Returns:
        dict: ``report`` unchanged, so a tool's ``main`` can return it.
    """
    print(json.dumps(report, indent=2))
    if out:
        os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
        with open(out, 'w') as f:
            json.dump(report, f, indent=2)
        print(f'report written to {out}')
    return report
