"""mmssl registry nodes.

Every node is a child of the MMAction2 node of the same kind, so a config
with ``default_scope='mmssl'`` resolves mmssl's own components *and*
MMAction2's (``ResNet3d``, ``VideoDataset``, ``DecordInit`` ...) without an
``mmaction.`` prefix.

MMEngine's parent look-up reads the parent's already-registered modules but
does not trigger the parent's lazy ``locations`` imports. The ``locations``
below therefore point at mmssl packages whose ``__init__`` imports the
matching MMAction2 package first (see ``mmssl/models/__init__.py`` etc.).
"""
from mmaction.registry import DATA_SAMPLERS as MMACTION_DATA_SAMPLERS
from mmaction.registry import DATASETS as MMACTION_DATASETS
from mmaction.registry import EVALUATOR as MMACTION_EVALUATOR
from mmaction.registry import FUNCTION as MMACTION_FUNCTION
from mmaction.registry import HOOKS as MMACTION_HOOKS
from mmaction.registry import LOG_PROCESSORS as MMACTION_LOG_PROCESSORS
from mmaction.registry import LOOPS as MMACTION_LOOPS
from mmaction.registry import METRICS as MMACTION_METRICS
from mmaction.registry import MODEL_WRAPPERS as MMACTION_MODEL_WRAPPERS
from mmaction.registry import MODELS as MMACTION_MODELS
from mmaction.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMACTION_OPTIM_WRAPPER_CONSTRUCTORS
from mmaction.registry import OPTIM_WRAPPERS as MMACTION_OPTIM_WRAPPERS
from mmaction.registry import OPTIMIZERS as MMACTION_OPTIMIZERS
from mmaction.registry import PARAM_SCHEDULERS as MMACTION_PARAM_SCHEDULERS
from mmaction.registry import RUNNER_CONSTRUCTORS as MMACTION_RUNNER_CONSTRUCTORS
from mmaction.registry import RUNNERS as MMACTION_RUNNERS
from mmaction.registry import TASK_UTILS as MMACTION_TASK_UTILS
from mmaction.registry import TRANSFORMS as MMACTION_TRANSFORMS
from mmaction.registry import VISBACKENDS as MMACTION_VISBACKENDS
from mmaction.registry import VISUALIZERS as MMACTION_VISUALIZERS
from mmaction.registry import \
    WEIGHT_INITIALIZERS as MMACTION_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

RUNNERS = Registry(
    'runner', parent=MMACTION_RUNNERS, locations=['mmssl.engine'])
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor',
    parent=MMACTION_RUNNER_CONSTRUCTORS,
    locations=['mmssl.engine'])
LOOPS = Registry('loop', parent=MMACTION_LOOPS, locations=['mmssl.engine'])
HOOKS = Registry('hook', parent=MMACTION_HOOKS, locations=['mmssl.engine'])
LOG_PROCESSORS = Registry(
    'log_processor',
    parent=MMACTION_LOG_PROCESSORS,
    locations=['mmssl.engine'])

DATASETS = Registry(
    'dataset', parent=MMACTION_DATASETS, locations=['mmssl.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMACTION_DATA_SAMPLERS,
    locations=['mmssl.datasets'])
TRANSFORMS = Registry(
    'transform', parent=MMACTION_TRANSFORMS, locations=['mmssl.datasets'])

MODELS = Registry('model', parent=MMACTION_MODELS, locations=['mmssl.models'])
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMACTION_MODEL_WRAPPERS,
    locations=['mmssl.models'])
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMACTION_WEIGHT_INITIALIZERS,
    locations=['mmssl.models'])
TASK_UTILS = Registry(
    'task util', parent=MMACTION_TASK_UTILS, locations=['mmssl.models'])

OPTIMIZERS = Registry(
    'optimizer', parent=MMACTION_OPTIMIZERS, locations=['mmssl.engine'])
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=MMACTION_OPTIM_WRAPPERS,
    locations=['mmssl.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMACTION_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['mmssl.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler',
    parent=MMACTION_PARAM_SCHEDULERS,
    locations=['mmssl.engine'])

METRICS = Registry(
    'metric', parent=MMACTION_METRICS, locations=['mmssl.evaluation'])
EVALUATOR = Registry(
    'evaluator', parent=MMACTION_EVALUATOR, locations=['mmssl.evaluation'])

VISUALIZERS = Registry(
    'visualizer',
    parent=MMACTION_VISUALIZERS,
    locations=['mmssl.visualization'])
VISBACKENDS = Registry(
    'vis_backend',
    parent=MMACTION_VISBACKENDS,
    locations=['mmssl.visualization'])

FUNCTION = Registry(
    'function', parent=MMACTION_FUNCTION, locations=['mmssl.engine'])
