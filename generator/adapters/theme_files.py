"""The theme's static files, listed once per preview rather than on every rebuild.

On every build MkDocs walks each theme folder to find the static files it copies
(``Files.add_files_from_theme``, through Jinja's ``list_templates``). Material ships about
14,500 files (its icons), so the walk and its name filter took a tenth of a second of every
preview rebuild, for a list that does not change while the server runs. :class:`ThemeFiles`
keeps that one list per theme: the folders, MkDocs' static-template setting and the state of the
writer's own ``templates/`` folder (a file added there is listed on the next rebuild). Any other
caller of ``list_templates`` gets the walk as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The filter MkDocs passes from Files.add_files_from_theme: the only listing kept.
_THEME_FILTER = "Files.add_files_from_theme.<locals>.filter"


class ThemeFiles:
    """Lives as long as the preview's plugin."""

    def __init__(self) -> None:
        self._listed: dict[Any, list[str]] = {}

    def install(self, config: Any, state: Any) -> None:
        """Make ``config.theme.get_env`` return environments whose static-file listing is
        remembered under ``state`` (what else the listing depends on besides the theme)."""
        theme = config.theme
        make_env: Callable[[], Any] = theme.get_env
        listed = self._listed

        def get_env() -> Any:
            env = make_env()
            walk = env.list_templates

            def list_templates(extensions: Any = None,
                               filter_func: Callable[[str], bool] | None = None) -> list[str]:
                if extensions is not None or filter_func is None \
                        or getattr(filter_func, "__qualname__", "") != _THEME_FILTER:
                    return walk(extensions, filter_func)
                key = (tuple(theme.dirs), tuple(theme.static_templates), state)
                if key not in listed:
                    listed.clear()  # one theme at a time
                    listed[key] = walk(extensions, filter_func)
                return list(listed[key])

            env.list_templates = list_templates
            return env

        theme.get_env = get_env
