"""The evaluation suite: every protocol on one checkpoint, one report
(``tools/analysis_tools/evaluate.py``, docs/protocols/README.md).

Not imported by ``mmssl.evaluation`` (it pulls in the protocols' modules);
import ``mmssl.evaluation.suite`` where it is used.
"""
from .defaults import EvaluationError, evaluation_dataset, finetune_config_for
from .evaluate import PROTOCOLS, evaluate_checkpoint, parse_protocols
from .report import markdown_report, write_report

__all__ = [
    'EvaluationError', 'PROTOCOLS', 'evaluate_checkpoint', 'parse_protocols',
    'evaluation_dataset', 'finetune_config_for', 'markdown_report',
    'write_report'
]
