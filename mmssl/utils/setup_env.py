"""Environment set-up: registration of all modules and the default scope."""
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every mmssl (and thereby MMAction2) module into the registries.

    Args:
        init_default_scope (bool): Whether to make ``mmssl`` the current
            default scope so that builds resolve through mmssl's registry
            nodes (and their MMAction2 parents). Defaults to True.
    """
    import mmssl.datasets  # noqa: F401
    import mmssl.engine  # noqa: F401
    import mmssl.evaluation  # noqa: F401
    import mmssl.models  # noqa: F401
    import mmssl.visualization  # noqa: F401

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None or not DefaultScope.check_instance_created('mmssl'):
        DefaultScope.get_instance('mmssl', scope_name='mmssl')
        return
    if current.scope_name != 'mmssl':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "mmssl"; register_all_modules switches it to '
                      '"mmssl".')
        DefaultScope.get_instance(
            f'mmssl-{datetime.datetime.now()}', scope_name='mmssl')
