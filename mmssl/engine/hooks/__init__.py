"""Schedule hooks, exact-resume seeding and skip accounting."""
from .skip_accounting_hook import SkipAccountingHook  # noqa: F401
from .train_loss_plateau_hook import TrainLossPlateauHook  # noqa: F401
from .resumable_param_scheduler_hook import \
    ResumableParamSchedulerHook  # noqa: F401
from .exact_resume_hook import ExactResumeHook  # noqa: F401
from .representation_monitor_hook import \
    RepresentationMonitorHook  # noqa: F401
