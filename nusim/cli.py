"""The ``nusim`` command line."""

import argparse
import sys
from pathlib import Path

from nusim import __version__
from nusim.errors import ArgumentError, NusimError, StudyInterruptedError

DEFAULT_STUDY = Path("runs/default.toml")

MAIN_HELP = """\
nusim computes the neutrino force in neutrino backgrounds (Ghosh et al., JHEP 02 (2023) 092)
for torsion balances and other fifth-force experiments.

examples:
  1. nusim run                              # the default study: a balance 10 m from a reactor
  2. nusim run runs/default.toml --out out/  # a study file, results into out/
  3. nusim run --list                       # the bundled studies and their run times
  4. nusim run --help                       # what a study file may contain
  5. nusim sources                          # the neutrino sources nusim knows
  6. nusim sources show sun --date 2026-06-21   # solar totals, spectra and the 24-h track
  7. nusim sensitivities                    # table 4 of the paper, with references
"""

SOURCES_HELP = """\
List the neutrino sources, or show one: print its totals (flux, mean energy, per flavour and
per line) and write its spectra (PNG, log-log) and, for the Sun, its 24-hour track at the site
with the angle between the neutrinos' direction of travel and an apparatus axis; a JSON summary
with the options and versions goes beside them.

examples:
  1. nusim sources
  2. nusim sources show reactor --power-GW 2.9 --distance-m 10 --antineutrinos-per-fission 7.1
  3. nusim sources show sun --latitude-deg 47.66 --longitude-deg -122.31 --date 2026-06-21 \\
         --axis-enu 0,1,0          # Seattle; apparatus axis pointing North
  4. nusim sources show supernova --distance-kpc 10 --time-utc 2026-06-21T08:00:00
  5. nusim sources show all -o output/sources     # every spectrum on one figure
"""

RUN_HELP = """\
Run a study file (TOML) and write its results (PNG figures, CSV tables, results.json with the
configuration, versions, git commit, input-file hashes, seeds and citations) to its output
folder; the key numbers are printed as a table at the end. `nusim run --list` lists the
bundled studies (runs/*.toml) with their descriptions, kinds and run times on 2 cores.

Every relative path in a study file (output_dir, apparatus) is relative to the folder of the
study file, wherever you run nusim from; --out DIR on the command line overrides output_dir
and is relative to the current directory.

The default study (runs/default.toml, kind "reactor_signal") is the main job: the neutrino
torque a 2.9 GW reactor 10 m away puts on a proposed torsion balance, with gravity of the same
geometry, the on − off signal, δV/V_gravity and its distance from Washington 1999:

  [study]
  name = "reactor-proposal"
  kind = "reactor_signal"           # one of the kinds listed below
  output_dir = "../output/reactor-proposal"   # relative to the study file (default:
                                    #   output/<name> beside it)
  description = "..."               # one line, shown by nusim run --list
  expected_runtime = "~2 min"       # on 2 cores, shown by nusim run --list

  [reactor_signal]
  apparatus = "../geometries/reactor-proposal.toml"   # relative to the study file
  samples = 20_000                  # per replica per term, the same cost for every estimator
  replicas = 8                      # independent replicas: the errors
  seed = 1
  harmonics = [1, 2, 3]             # attractor-rotation harmonics
  sensitivity = "washington-1999"   # table 4 entry to compare with
  scan_azimuths_deg = []            # e.g. [0, 45, 90, 135]: turn the reactor about the fibre

  [[beams]]                         # the neutrino source(s)
  source = "reactor"                # reactor | sun | supernova
  thermal_power_GW = 2.9
  distance_m = 10.0                 # or position_m = [x, y, z]
  direction = [-1.0, 0.0, -0.1]     # from the fibre point towards the core
  core_radius_m = 1.5               # 0 and 0: a point core
  core_height_m = 3.0
  antineutrinos_per_fission = 7.1   # the paper's 5e13 cm⁻² s⁻¹ at 10 m
  on = true

"day_modulation" gives the torque over 24 h of solar beam at the apparatus' [site] (dates,
n_times = 48), its 1/day and 2/day harmonics, the Sun-direction basis of solar-EP analyses as a
differential acceleration against the published limits (runs/day-modulation.toml):

  [day_modulation]
  apparatus = "../geometries/example-torsion-balance.toml"
  dates = ["2026-06-21"]
  n_times = 48
  [[beams]]
  source = "sun"
  model = "B16-GS98"

"apparatus_torque" computes gravity (or a Yukawa force) against attractor angle
(runs/example-torque.toml); "paper_figures" regenerates figures 3, 4 and 5 of the paper and
its eq. 5.4 material table (runs/paper-figures.toml); "directional_suppression" and
"directional_convergence" study the wake estimator between two bodies
(runs/directional-*.toml, docs/directional-estimator.md).
docs/apparatus-signal.md defines every number of the neutrino-signal studies.

Every study is a list of tasks (e.g. one per attractor angle, time of day or scan point),
each a pure function of the configuration (seed included) and its index, reduced in task order:
the numbers are the same, bit for bit, however the tasks run. By default they run in this
process (numba uses every core); --workers N runs them on a local Dask cluster of N
single-threaded processes, --scheduler ADDR on an existing Dask cluster (README: "Running a
study on a cluster"). Each finished task is kept in <out>/.tasks/<configuration hash>/; after
an interruption (Ctrl-C, a killed process, a lost machine) --resume computes only the tasks
that are missing. --samples and --seed replace the study file's sample count and seed (checked
like the file's own values).

examples:
  1. nusim run                          # runs/default.toml: the reactor proposal
  2. nusim run --list                   # the bundled studies: description, kind, run time
  3. nusim run runs/default.toml --out /tmp/out --no-progress
  4. nusim run runs/day-modulation.toml  # 24 h of solar beam on the example balance
  5. nusim run runs/paper-figures.toml   # figures 3, 4, 5 and the material table
  6. nusim run runs/directional-suppression.toml   # the eq. 4.14 suppression figure
  7. nusim run runs/smearing.toml --samples 5000 --seed 7   # a quick look, another seed
  8. nusim run runs/smearing.toml --workers 2      # 2 local worker processes (Dask)
  9. nusim run runs/smearing.toml --scheduler tcp://10.0.0.5:8786   # an existing cluster
 10. nusim run runs/smearing.toml --resume        # finish an interrupted run
"""


def _run_help():
    """RUN_HELP with the key list of every study kind generated from the schema
    (nusim/schema/), before the examples: the help cannot drift from what is checked."""
    from nusim.schema.docs import run_help

    return RUN_HELP.replace("\nexamples:\n", "\n" + run_help() + "\nexamples:\n", 1)


RUN_HELP = _run_help()


def _display_path(path):
    """``path`` relative to the working directory when it lies below it, else absolute."""
    full = Path(path).resolve()
    try:
        return str(full.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(full)


def _list_studies():
    """Print the bundled studies as a table: file, kind, run time on 2 cores, description."""
    from nusim.studies.run import bundled_studies

    rows = [(_display_path(s["path"]), s["kind"], s["expected_runtime"] or "?",
             s["description"]) for s in bundled_studies()]
    head = ("study file", "kind", "time (2 cores)", "description")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(3)]
    for r in [head, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[3])
    return 0


def _run(args):
    from nusim.studies.run import run_study

    if args.list:
        return _list_studies()
    from nusim.studies.runner import Execution

    study = args.study if args.study is not None else str(DEFAULT_STUDY)
    files = run_study(study, output_dir=args.output, progress=not args.no_progress,
                      samples=args.samples, seed=args.seed, resume=args.resume,
                      execution=Execution(workers=args.workers, scheduler=args.scheduler))
    if args.resume:
        print(f"resume: {files.reused} of {files.tasks} tasks reused from {files.cache_dir}, "
              f"{files.computed} computed")
    for f in files:
        print(f)
    if getattr(files, "summary", ""):
        print()
        print(files.summary)
    return 0


def _sources(args):
    import json

    import numpy as np

    from nusim.sources import catalog
    from nusim.studies.output import provenance, versions

    if args.action is None:
        for name, text in catalog.SOURCES.items():
            print(f"{name:10s} {text}")
        return 0
    from nusim import plotting

    if args.time_utc is None:
        args.time_utc = f"{args.date}T12:00:00"
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    names = list(catalog.SOURCES) if args.name == "all" else [args.name]
    energy = np.logspace(-3, 2, 2000)
    curves, summary = {}, {}
    for name in names:
        src = catalog.build(name, args)
        kw = catalog.where(name, args)
        lines = src.lines(**kw)
        info = {"total_flux_per_cm2_s": float(src.flux(**kw)),
                "mean_energy_MeV": float(src.mean_energy_MeV(**kw)),
                "lines": [{k: (float(v) if isinstance(v, (int, float, np.floating)) else v)
                           for k, v in ln.items()} for ln in lines]}
        print(f"{name}: Φ = {info['total_flux_per_cm2_s']:.4g} cm⁻² s⁻¹, "
              f"⟨E⟩ = {info['mean_energy_MeV']:.4g} MeV" + (f"  at {kw}" if kw else ""))
        for ln in lines:
            print(f"   line {ln['name']}: {ln['energy_MeV']:.4g} MeV, "
                  f"{ln['flux_per_cm2_s']:.4g} cm⁻² s⁻¹")
        for flavour, y in catalog.spectrum_curves(src, kw, energy).items():
            fl = [(ln["energy_MeV"], ln["flux_per_cm2_s"], ln.get("name", ""))
                  for ln in src.lines(flavour, **kw)]
            curves[f"{name} {flavour}"] = (energy, y, fl)
        summary[name] = info
        if name == "relic":
            path = _relic_figure(src, out / "relic_background.png")
            print(f"   momentum distribution and number densities -> {path}")
        if name == "sun":
            track = src.track(args.date, step_minutes=10)
            hours = ((track.times_utc - track.times_utc[0]) / np.timedelta64(1, "s")) / 3600
            try:
                axis = np.array([float(v) for v in args.axis_enu.split(",")])
            except ValueError:
                axis = np.zeros(0)
            if axis.shape != (3,) or not np.all(np.isfinite(axis)) or not np.any(axis):
                raise ArgumentError(f"--axis-enu {args.axis_enu!r}: give a non-zero vector as "
                                    "three comma-separated East,North,Up components, e.g. 0,1,0")
            axis = axis / np.linalg.norm(axis)
            angle = np.degrees(np.arccos(np.clip(track.direction @ axis, -1, 1)))
            path = plotting.sun_track(hours, track.altitude_deg, track.azimuth_deg, angle,
                                      out / "sun_track.png",
                                      f"Sun at ({args.latitude_deg}°, {args.longitude_deg}°), "
                                      f"{args.date}; axis (E,N,U) = "
                                      f"({', '.join(f'{v:.2f}' for v in axis)})")
            print(f"   24-h track: altitude {track.altitude_deg.min():.1f}° … "
                  f"{track.altitude_deg.max():.1f}°, α to axis {angle.min():.1f}° … "
                  f"{angle.max():.1f}° -> {path}")
    if curves:
        path = plotting.source_spectra(curves, out / f"spectra_{args.name}.png")
        print(f"spectra -> {path}")
    doc = {"sources": summary, "options": {k: v for k, v in vars(args).items() if k != "func"},
           "versions": versions(), "provenance": provenance()}
    (out / f"sources_{args.name}.json").write_text(json.dumps(doc, indent=2, default=str) + "\n")
    return 0


def _relic_figure(src, path):
    """The CνB figure: dn/dκ per mass eigenstate (the same in momentum for all three) and a
    table of masses, densities and mean speeds."""
    import numpy as np

    from nusim import plotting, units
    from nusim.sources.relic import fermi_dirac_momentum_occupation

    t = src.temperature_eV
    kappa = np.logspace(-2, np.log10(15), 400) * t                       # [eV]
    # dn/dκ = g κ² n(κ)/(2π²) per eigenstate (g = 2: ν + ν̄), eV² -> cm⁻³ eV⁻¹, then per meV
    dn_dk = 2 * kappa**2 * fermi_dirac_momentum_occupation(kappa, t) / (2 * np.pi**2) \
        / units.HBARC_EV_CM**3 * 1e-3
    rows = [("state", "m [meV]", "m / T", "n [cm⁻³]", "⟨v⟩/c")]
    for i, m in enumerate(src.masses_eV, start=1):
        rows.append((f"ν{i}", f"{m * 1e3:.3g}", f"{m / t:.3g}",
                     f"{src.number_density_per_cm3(i):.4g}", f"{src.mean_speed(i):.3g}"))
    rows.append(("all", "", "", f"{src.number_density_per_cm3():.4g}", ""))
    n_i = src.number_density_per_cm3(1)
    mean_k = np.trapezoid(kappa * dn_dk, kappa) / np.trapezoid(dn_dk, kappa)       # [eV]
    return plotting.relic_background(
        kappa, {f"each of ν₁, ν₂, ν₃ ({n_i:.4g} cm⁻³ each; mass-independent in κ)": dn_dk},
        rows, path, temperature_eV=t,
        note=f"scalar flux Φ = Σᵢ nᵢ⟨vᵢ⟩ = {src.flux():.4g} cm⁻² s⁻¹ (all directions)\n"
             f"mean momentum ⟨κ⟩ = {mean_k / t:.3g} T_ν = {mean_k * 1e3:.3g} meV",
        title=f"Cosmic neutrino background: T_ν = {src.temperature_K:.4g} K, {src.nature}, "
              "isotropic (no beam direction)")


def _vector_option(text, option):
    import numpy as np

    if text is None:
        return None
    try:
        v = np.array([float(x) for x in text.split(",")])
    except ValueError:
        v = np.zeros(0)
    if v.shape != (3,) or not np.all(np.isfinite(v)):
        raise ArgumentError(f"{option} {text!r}: give three comma-separated numbers, e.g. 10,0,0")
    return v


GEOMETRY_HELP = """\
Show an apparatus file: each body's material, mass, volume and centre of mass, and a 3-D
picture (PNG) of the apparatus with the fibre axis.

examples:
  1. nusim geometry show geometries/example-torsion-balance.toml
  2. nusim geometry show geometries/example-torsion-balance.toml -o /tmp/geo
  3. nusim geometry show geometries/example-torsion-balance.toml --source-position-m 10,0,0 \
         --source-label reactor      # beam from a reactor 10 m East (arrow, not to scale)
"""


def _geometry(args):
    import numpy as np

    from nusim import plotting
    from nusim.geometry import load_apparatus

    if args.action is None:
        build_parser().parse_args(["geometry", "--help"])
    app = load_apparatus(args.file)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    print(f"{app.name}: {len(app.bodies)} bodies ({app.path})")
    print(f"  {'body':16s} {'role':10s} {'material':16s} {'mass [kg]':>12s} {'volume [m³]':>12s}"
          f"  centre of mass [m]")
    meshes = []
    for body in app.bodies.values():
        com = body.centre_of_mass_m
        print(f"  {body.name:16s} {body.role:10s} {body.material.name:16s} "
              f"{body.mass_kg:12.6g} {body.volume_m3:12.6g}  "
              f"({com[0]:+.4f}, {com[1]:+.4f}, {com[2]:+.4f})")
        mesh = body.shape.to_mesh()
        verts = np.asarray(mesh.vertices) @ np.asarray(body.pose.rotation).T + np.asarray(
            body.pose.position_m)
        meshes.append((body.name, body.role, verts, np.asarray(mesh.faces)))
    source = _vector_option(args.source_position_m, "--source-position-m")
    beam = _vector_option(args.beam_direction, "--beam-direction")
    if beam is not None and not np.any(beam):
        raise ArgumentError("--beam-direction: give a non-zero vector")
    if beam is None and source is not None:
        # travel from the source through the apparatus' centre of mass
        masses = np.array([b.mass_kg for b in app.bodies.values()])
        coms = np.array([b.centre_of_mass_m for b in app.bodies.values()])
        beam = (masses @ coms) / masses.sum() - source
        beam = beam if np.any(beam) else None
    path = plotting.apparatus_3d(meshes, out / f"{app.name}.png", app.name, axis=app.axis,
                                 beam_direction=beam, source_position_m=source,
                                 source_label=args.source_label)
    print(f"picture -> {path}")
    return 0


SENSITIVITIES_HELP = """\
Print table 4 of the founding paper: the sensitivity δV/V_gravity of each fifth-force
experiment (the smallest fractional deviation from Newton's potential it excludes) at its
typical separation ⟨r⟩, the separation at which figure 5 draws it, the full reference and how
the paper obtains the number; then the published solar equivalence-principle limits on a
differential acceleration [m s⁻²] that the day-modulation study compares with.

A predicted δV/V below a sensitivity is out of reach by log10(sensitivity/δV/V) orders of
magnitude: the α = 0 reactor line at 1 m (1.9e-11, `nusim run runs/paper-figures.toml`) is
2.2 orders below Washington 1999 (3.0e-9).

examples:
  1. nusim sensitivities                   # both tables with references
  2. nusim sensitivities --json            # the same as JSON (keys as used in study files,
                                           #   e.g. sensitivity = "washington-1999")
"""


def _sci(x):
    """3.0e-9, 2.7e-4, 1.0, 1.0e4: one decimal, no '+' or leading zeros in the exponent."""
    mantissa, exponent = f"{x:.1e}".split("e")
    return mantissa if int(exponent) == 0 else f"{mantissa}e{int(exponent)}"


def _sensitivities(args):
    import json
    import textwrap

    from nusim.studies import experiments

    rows = [{"key": k, "experiment": s.name, "delta_v_over_v": s.delta_v_over_v,
             "r": s.r_text, "r_m": s.r_m, "r_range_m": s.r_range_m, "paper_ref": s.paper_ref,
             "reference": s.reference, "derivation": s.derivation}
            for k, s in experiments.TABLE_4.items()]
    limits = [{"key": k, "name": a.name, "limit_m_s2": a.limit_m_s2, "what": a.what,
               "reference": a.reference} for k, a in experiments.SOLAR_EP_LIMITS.items()]
    if args.json:
        print(json.dumps({"table_4": rows, "solar_ep_limits": limits}, indent=2,
                         ensure_ascii=False))
        return 0
    wrap = textwrap.TextWrapper(width=96, initial_indent=" " * 6, subsequent_indent=" " * 6)
    print("Table 4 of Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082: sensitivities of "
          "long-range force searches")
    print(f"  {'key':18s} {'experiment':31s} {'δV/V_gravity':>12s}  {'⟨r⟩':10s} "
          f"{'r on fig. 5':>11s}  ref.")
    for r in rows:
        span = (f"{_sci(r['r_m'])} m" if r["r_range_m"] is None
                else f"{r['r_range_m'][0]:g}–{r['r_range_m'][1]:g} m")
        print(f"  {r['key']:18s} {r['experiment']:31s} {_sci(r['delta_v_over_v']):>12s}  "
              f"{r['r']:10s} {span:>11s}  {r['paper_ref']}")
    print("\nReferences (the paper's reference number) and how each number follows:")
    for r in rows:
        print(f"  {r['key']} {r['paper_ref']}")
        print(wrap.fill(r["reference"]))
        print(wrap.fill("→ " + r["derivation"]))
    print("\nSolar equivalence-principle limits (differential acceleration):")
    print(f"  {'key':22s} {'limit [m s⁻²]':>14s}  what")
    for a in limits:
        print(f"  {a['key']:22s} {_sci(a['limit_m_s2']):>14s}  {a['name']}")
        print(wrap.fill(a["what"] + "; " + a["reference"]))
    return 0


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _seed(text):
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer ≥ 0, got {text!r}")
    return value


def build_parser():
    """The argparse parser of ``nusim``."""
    parser = argparse.ArgumentParser(prog="nusim", description=MAIN_HELP,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nusim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run a study file", description=RUN_HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    which = run.add_mutually_exclusive_group()
    which.add_argument("study", nargs="?", default=None,
                       help=f"study TOML file (default: {DEFAULT_STUDY})")
    which.add_argument("--list", action="store_true",
                       help="list the bundled studies (runs/*.toml): description, kind and "
                            "run time on 2 cores")
    run.add_argument("-o", "--out", "--output", dest="output", metavar="DIR",
                     help="output folder, relative to the current directory (default: the "
                          "study's output_dir, relative to the study file)")
    run.add_argument("--no-progress", action="store_true", help="hide progress bars")
    run.add_argument("--samples", type=_positive_int, metavar="N",
                     help="replace the study's sample count (its kind's samples key)")
    run.add_argument("--seed", type=_seed, metavar="S", help="replace the study's seed")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N",
                       help="run the tasks on a local Dask cluster of N single-threaded "
                            "worker processes (default: in this process, without Dask)")
    where.add_argument("--scheduler", metavar="ADDR",
                       help="run the tasks on the Dask cluster whose scheduler is at ADDR, "
                            "e.g. tcp://10.0.0.5:8786 (start it with `dask scheduler`)")
    run.add_argument("--resume", action="store_true",
                     help="reuse the finished tasks of an interrupted run of the same "
                          "configuration (kept in <out>/.tasks/) and compute only the others")
    run.set_defaults(func=_run)
    src = sub.add_parser("sources", help="list or show neutrino sources", description=SOURCES_HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    src.set_defaults(func=_sources, action=None)
    ssub = src.add_subparsers(dest="action", metavar="ACTION")
    show = ssub.add_parser("show", help="totals and plots of one source (or all)",
                           description=SOURCES_HELP,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    show.add_argument("name", choices=["reactor", "sun", "supernova", "relic", "all"])
    show.add_argument("-o", "--output", default="output/sources", help="folder for plots/JSON")
    show.add_argument("--power-GW", type=float, default=2.9, help="reactor thermal power [GW]")
    show.add_argument("--distance-m", type=float, default=10.0, help="reactor distance [m]")
    show.add_argument("--antineutrinos-per-fission", type=float, default=None,
                      help="rescale the reactor spectrum to this total (paper: ≈7.1)")
    show.add_argument("--core-radius-m", type=float, default=0.0, help="reactor core radius [m]")
    show.add_argument("--core-height-m", type=float, default=0.0, help="reactor core height [m]")
    show.add_argument("--latitude-deg", type=float, default=47.659, help="lab latitude [deg]")
    show.add_argument("--longitude-deg", type=float, default=-122.303,
                      help="lab longitude [deg, east positive]")
    show.add_argument("--altitude-m", type=float, default=0.0, help="lab altitude [m]")
    show.add_argument("--solar-model", default="B16-GS98",
                      help="B16-GS98, B16-AGSS09met or BS05-OP")
    show.add_argument("--date", default="2026-06-21", help="UTC day of the Sun's track")
    show.add_argument("--time-utc", default=None, help="UTC time (default: noon UTC of --date)")
    show.add_argument("--axis-enu", default="0,1,0",
                      help="apparatus axis as East,North,Up components (default North)")
    show.add_argument("--distance-kpc", type=float, default=10.0, help="supernova distance [kpc]")
    show.set_defaults(func=_sources)
    geo = sub.add_parser("geometry", help="inspect apparatus files", description=GEOMETRY_HELP,
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    geo.set_defaults(func=_geometry, action=None)
    gsub = geo.add_subparsers(dest="action", metavar="ACTION")
    gshow = gsub.add_parser("show", help="masses, volumes, centres of mass and a 3-D picture",
                            description=GEOMETRY_HELP,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    gshow.add_argument("file", help="apparatus TOML file, e.g. geometries/<name>.toml")
    gshow.add_argument("-o", "--output", default="output/geometry", help="folder for the PNG")
    gshow.add_argument("--source-position-m", default=None, metavar="X,Y,Z",
                       help="a neutrino source in the lab frame (East,North,Up) [m]; drawn "
                            "with the beam it sends through the apparatus")
    gshow.add_argument("--source-label", default="source", help="name of that source")
    gshow.add_argument("--beam-direction", default=None, metavar="X,Y,Z",
                       help="direction of travel of the neutrino beam (East,North,Up; default "
                            "from --source-position-m towards the apparatus)")
    gshow.set_defaults(func=_geometry)
    sens = sub.add_parser("sensitivities", help="table 4: experimental sensitivities and "
                          "references", description=SENSITIVITIES_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    sens.add_argument("--json", action="store_true", help="print JSON instead of tables")
    sens.set_defaults(func=_sensitivities)
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
    except StudyInterruptedError as exc:
        print(f"nusim: {exc}", file=sys.stderr)
        return 130
    except (NusimError, ValueError) as exc:
        print(f"nusim: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
