"""Command-line layer: parse arguments, call a command function, print, choose the exit code.

Exit codes: 0 success, 1 content or build errors, 2 usage errors. Errors reach the user as one
clear message; a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from generator import __version__, commands
from generator.adapters.engine import describe
from generator.check.changed import CodeChanges
from generator.errors import ExplainerError, UsageError, printable
from generator.publish.stopping import BuildStopped


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _root_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                        help="project folder (default: the current folder)")


class _Version(argparse.Action):
    """Unwrapped: the engine line is for bug reports and must stay one grep-able line."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"explainer {__version__}\n{describe()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="explainer", description="Cited explainer pages from YAML facts.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version, the site engine and the theme in use")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for failures")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    check = sub.add_parser("check", help="validate content and report every problem",
                           description="Validate every content file and report every problem "
                           "as path:line:col: severity: message.")
    _root_arg(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="'github' prints GitHub Actions annotations (default: text)")
    check.add_argument("--changed-since", default=None, metavar="REF",
                       help="also report every code file (mkdocs.yml, templates/, theme "
                       "overrides, hooks, generator/, .github/, tests/, docs/ files that are "
                       "not Markdown or images, ...) changed since the merge base of git REF "
                       "and HEAD, uncommitted changes included, e.g. origin/main: code runs at "
                       "build, deploy or in CI, and a maintainer must review it")
    check.add_argument("--code-changes", choices=[c.value for c in CodeChanges],
                       default=CodeChanges.WARNING.value,
                       help="how --changed-since reports a changed code file: 'warning' "
                       "(default; fails only with --strict) or 'error' (always fails)")
    check.set_defaults(func=_check)

    new = sub.add_parser("new", help="scaffold a new explainer",
                         description="Write content/explainers/SLUG.yaml, a commented explainer "
                         "that passes check.")
    _root_arg(new)
    new.add_argument("slug", help="the page's URL name: lowercase letters, digits, hyphens")
    new.add_argument("--headline", default=None, help="headline to start with")
    new.set_defaults(func=_new)

    build = sub.add_parser("build", help="check, generate and build the site into site/",
                           description="Run check, generate pages, charts and data, and build the "
                           "site with a strict MkDocs build. A failed build leaves the previous "
                           "site/ untouched.")
    _root_arg(build)
    build.add_argument("--site-dir", type=Path, default=None, metavar="DIR",
                       help="where to write the site (default: site/ in the project)")
    build.add_argument("--keep-markdown", type=Path, default=None, metavar="DIR",
                       help="also write the generated Markdown and data files to DIR")
    build.set_defaults(func=_build)

    serve = sub.add_parser("serve", help="live preview that reloads on every YAML edit",
                           description="Serve the site locally; edits to content, charts or docs "
                           "reach the open browser page within a couple of seconds.")
    _root_arg(serve)
    serve.add_argument("--addr", default="127.0.0.1:8000", metavar="HOST:PORT",
                       help="address to serve on (default: 127.0.0.1:8000)")
    serve.set_defaults(func=_serve)

    deploy = sub.add_parser("deploy", help="build and publish one edition to gh-pages",
                            description="Check, build and publish VERSION to the gh-pages branch "
                            "(storing only what changed since the previous edition), with a "
                            "'What changed' page against it.")
    _root_arg(deploy)
    deploy.add_argument("version", help="edition to publish, e.g. 1.1 or dev")
    deploy.add_argument("--alias", action="append", default=[], metavar="NAME",
                        help="alias to point at this edition, e.g. latest (repeatable)")
    deploy.add_argument("--title", default=None, help="title in the version selector")
    deploy.add_argument("--push", action="store_true", help="push gh-pages to the remote")
    deploy.add_argument("--remote", default="origin", help="git remote (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="branch (default: gh-pages)")
    deploy.add_argument("--allow-dirty", action="store_true",
                        help="deploy even with uncommitted changes to content or code")
    deploy.set_defaults(func=_deploy)
    return parser


def _check(args: argparse.Namespace) -> int:
    result = commands.check(root=args.root, strict=args.strict,
                            changed_since=args.changed_since,
                            code_changes=CodeChanges(args.code_changes))
    for diagnostic in result.diagnostics:
        print(diagnostic.format_github() if args.format == "github" else diagnostic.format())
    print(result.summary())
    return 1 if result.failed else 0


def _new(args: argparse.Namespace) -> int:
    path = commands.new(root=args.root, slug=args.slug, headline=args.headline)
    print(_shown(f"created {path}"))
    print("next: edit it, then run `explainer check`")
    return 0


def _build(args: argparse.Namespace) -> int:
    result = commands.build(root=args.root, site_dir=args.site_dir,
                            keep_markdown=args.keep_markdown)
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    print(_shown(result.summary()))  # folder names come from the command line
    return 0


def _serve(args: argparse.Namespace) -> int:
    commands.serve(root=args.root, addr=args.addr)
    return 0


def _deploy(args: argparse.Namespace) -> int:
    result = commands.deploy(root=args.root, version=args.version, aliases=args.alias,
                             title=args.title, push=args.push, remote=args.remote,
                             branch=args.branch, allow_dirty=args.allow_dirty)
    print(_shown(result.summary()))  # the remote's name comes from the command line
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BuildStopped as exc:  # SIGINT or SIGTERM: not an error of the writer's
        print(f"explainer: {exc}", file=sys.stderr)
        return exc.exit_code
    except ExplainerError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"explainer: error: {_shown(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so plainly, never dump on a writer
        if args.debug:
            traceback.print_exc()
        else:
            print(f"explainer: internal error: {type(exc).__name__}: {_shown(str(exc))}\n"
                  "  run again with --debug for details, and please report it", file=sys.stderr)
        return 1


def _shown(text: str) -> str:
    """Messages may quote names from content: control characters are shown escaped, line by
    line (a message's own line breaks stay)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def run() -> None:
    sys.exit(main())


__all__ = ["UsageError", "main", "run"]
