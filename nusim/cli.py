"""The ``nusim`` command line."""

import argparse
import sys
from pathlib import Path

from nusim import __version__
from nusim.errors import NusimError

DEFAULT_STUDY = Path("runs/default.toml")

MAIN_HELP = """\
nusim computes the neutrino force in neutrino backgrounds (Ghosh et al., JHEP 02 (2023) 028)
for torsion balances and other fifth-force experiments.

examples:
  1. nusim run                              # the bundled default study (runs/default.toml)
  2. nusim run runs/default.toml -o out/    # a study file, results into out/
  3. nusim run --help                       # what a study file may contain
"""

RUN_HELP = """\
Run a study file (TOML) and write its results (PNG figures, CSV tables, results.json with the
configuration, versions and citations) to its output folder.

A study file:

  [study]
  name = "paper-figures"
  kind = "paper_figures"            # known kinds: paper_figures
  output_dir = "output/paper-figures"

  [paper_figures]                   # every key optional, defaults shown
  fig3_alphas_deg = [0, 30, 60, 90]
  fig3_ell_min = 0.5                # ℓ = E r, dimensionless
  fig3_ell_max = 20.0
  fig4_alphas_deg = [30, 45, 60, 90]
  fig4_ell_max = 60.0               # the eq. (4.8) quadrature costs ∝ ℓ²
  fig4_quadrature_points = 60

examples:
  1. nusim run                          # runs/default.toml
  2. nusim run runs/default.toml -o /tmp/figs --no-progress
"""


def _run(args):
    from nusim.studies.run import run_study

    files = run_study(args.study, output_dir=args.output, progress=not args.no_progress)
    for f in files:
        print(f)
    return 0


def build_parser():
    """The argparse parser of ``nusim``."""
    parser = argparse.ArgumentParser(prog="nusim", description=MAIN_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nusim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run a study file", description=RUN_HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("study", nargs="?", default=str(DEFAULT_STUDY),
                     help=f"study TOML file (default: {DEFAULT_STUDY})")
    run.add_argument("-o", "--output", help="output folder (default: the study's output_dir)")
    run.add_argument("--no-progress", action="store_true", help="hide progress bars")
    run.set_defaults(func=_run)
    return parser


def main(argv=None):
    """Entry point; returns the exit code (0 ok, 1 bad input or numerics, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except NusimError as exc:
        print(f"nusim: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
