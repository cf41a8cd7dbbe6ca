"""``python -m generator.adapters.mike_main ARGS``: mike's own command line on the chosen engine.

mike picks its engine when imported: ProperDocs whenever that package is installed, and then runs
``properdocs build``. This entry point sets up the engine :mod:`generator.adapters.engine` names
first, so ``EXPLAINER_ENGINE=mkdocs`` deploys are built by MkDocs 1.6.1 end to end.
"""

from __future__ import annotations

import sys
from importlib import metadata


def main() -> int:
    from generator.adapters.engine import activate

    engine = activate()
    import mike.mkdocs_utils as utils
    from mike.driver import main as mike_main

    if engine == "mkdocs":
        utils._program_name = "mkdocs"
        utils._brand = "MkDocs"
        utils._version = metadata.version("mkdocs")
        utils.default_config_file = ["mkdocs.yml", "mkdocs.yaml"]
    result = mike_main()
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
