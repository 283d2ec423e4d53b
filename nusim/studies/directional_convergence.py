"""Study "directional_convergence": the Monte Carlo convergence of the directional-beam energy in
the realistic reactor case (parameters and their meaning: :mod:`nusim.studies.directional`;
figure and CSV: :mod:`nusim.studies.directional_figures`).

A tungsten attractor and a copper pendulum (cylinders, axes vertical) ``separation_m`` apart
along x, in the antineutrino beam of a reactor ``reactor_distance_m`` from the apparatus
midpoint and ``reactor_depth_m`` below the bodies' plane, on the attractor's side (the pendulum
is in the attractor's wake), for a point core and a finite cylindrical core. For each sample
count the retarded energy (the channel a torsion balance feels) with its replica error; the
relative error against samples and against wall time.

Tasks: first the timing of the spectrum's a(w), b(w) kernel table (the one-off cost inside every
call), then one per (source, sample count) with seed ``seed + i`` for the i-th sample count.
Every task loads (or compiles) the estimator's kernels before it starts its clock. The wall
times are measurements, not results: they differ from run to run; every other number is the
same in every execution mode.

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082;
[2] nusim design note shared/design/directional-force-between-bodies.md §6–§7.
"""

import math
import time

import numpy as np

from nusim import units
from nusim.studies import directional
from nusim.studies.directional import CONVERGENCE_DEFAULTS
from nusim.studies.directional_figures import SOURCES

KIND = "directional_convergence"


def params(doc, path):
    """Validated parameters of the [directional_convergence] table of the study at ``path``."""
    return directional.convergence_params(doc, path)


def realistic_case(p=None, core=False):
    """(attractor, pendulum, beam, reactor) of the convergence study (defaults: the realistic
    case of ``CONVERGENCE_DEFAULTS``); ``core``: the finite cylindrical core, else a point."""
    from nusim.engine.directional import reactor_beam
    from nusim.geometry.bodies import Body, Pose
    from nusim.geometry.shapes import Cylinder
    from nusim.sources.reactor import Reactor

    p = dict(CONVERGENCE_DEFAULTS, **(p or {}))
    half = p["separation_m"] / 2
    shape = Cylinder(radius_m=p["body_radius_m"], height_m=p["body_height_m"])
    attractor = Body("attractor", "attractor", p["attractor_material"], shape,
                     Pose(position_m=(-half, 0.0, 0.0)))
    pendulum = Body("pendulum", "pendulum", p["pendulum_material"], shape,
                    Pose(position_m=(half, 0.0, 0.0)))
    dist, depth = p["reactor_distance_m"], p["reactor_depth_m"]
    # on the attractor's side (−x), below the bodies' plane: the beam runs attractor → pendulum
    position = (-math.sqrt(dist**2 - depth**2), 0.0, -depth)
    kw = {"core_radius_m": p["core_radius_m"], "core_height_m": p["core_height_m"]} if core else {}
    reactor = Reactor(p["thermal_power_GW"], position,
                      antineutrinos_per_fission=p["antineutrinos_per_fission"], **kw)
    midpoint = np.zeros(3)
    # the core's emission points give each sample its direction and 1/d² weight (the real
    # silhouette of the cylinder, and the spread of directions across the apparatus)
    beam = reactor_beam(reactor, midpoint, n_components=p["spectrum_components"])
    return attractor, pendulum, beam, reactor


def _warm_up(p):
    """Load (or compile) the estimator's numba kernels before anything is timed: a tiny run
    with a line spectrum (its kernel table is cheap), the same array types as the study's."""
    from nusim.engine.directional import DirectionalBeam, directional_interaction
    from nusim.physics.beam import line_spectrum

    att, pen, beam, _ = realistic_case(p, core=False)
    line = DirectionalBeam(line_spectrum(units.MeV_to_eV(1.0), beam.spectrum.total_flux),
                           beam.direction)
    directional_interaction(att, pen, line, samples=64, replicas=2, derivatives=False,
                            self_force=False, progress=False)




def tasks(p):
    """("table",), then (source, i) per source and sample count."""
    return [("table",)] + [(src, i) for src in SOURCES for i in range(len(p["samples"]))]


def _table_seconds(p):
    """The faster of two builds of the spectrum's a(w), b(w) table [s] and its size (the
    first build also pays for fresh memory pages)."""
    from nusim.physics.wake_kernel import surface_kernel_table_uncached

    _warm_up(p)
    _, _, beam, _ = realistic_case(p, core=False)
    timings = []
    for _ in range(2):
        t0 = time.perf_counter()
        table = surface_kernel_table_uncached(beam.spectrum)
        timings.append(time.perf_counter() - t0)
    return {"kernel_table_seconds": min(timings), "kernel_table_points": int(table.a.size)}


def _source_info(att, pen, beam, reactor):
    from nusim.engine.directional import fresnel_number

    k = np.asarray(beam.direction, float)
    return {"reactor": reactor.describe(), "beam_direction": k.tolist(),
            "tilt_from_bodies_plane_rad": math.asin(abs(k[2])),
            "flux_per_cm2_s": units.eV3_to_flux_per_cm2_s(beam.spectrum.total_flux),
            "mean_energy_MeV": beam.spectrum.mean_energy / 1e6,
            "spectrum_fit_residual": beam.spectrum.fit_residual,
            "profile": ("emitter: " + ("point core" if beam.emitter.core_radius_m == 0
                                       else "uniform cylindrical core")
                        if beam.emitter is not None else type(beam.profile).__name__),
            "fresnel_number_engine": fresnel_number(att, pen, beam)}


def run_task(p, task):
    """The kernel-table timing, or one run: the retarded energy, its error and the wall time
    (JSON-ready dict, with the source's description)."""
    from nusim.engine.directional import directional_interaction

    if task[0] == "table":
        return _table_seconds(p)
    source, i = task
    _warm_up(p)
    att, pen, beam, reactor = realistic_case(p, core=source == "finite core")
    n = p["samples"][i]
    seed = p["seed"] + i                     # independent runs along N
    r = directional_interaction(att, pen, beam, samples=n, replicas=p["replicas"],
                                seed=seed, estimator="auto", derivatives=False,
                                self_force=False, progress=False)
    ret, sym = r.estimates["energy_retarded_J"], r.estimates["energy_symmetric_J"]
    return {"source_info": {**_source_info(att, pen, beam, reactor),
                            "naive_energy_J": r.naive_energy_J},
            "row": {"source": source, "samples": n, "replicas": p["replicas"], "seed": seed,
                    "estimator": r.estimator, "seconds": r.seconds,
                    "energy_retarded_J": ret.to_dict(), "energy_symmetric_J": sym.to_dict(),
                    "relative_error": (ret.error / abs(ret.value) if ret.value != 0
                                       else math.inf),
                    "upper_bound": ret.is_upper_bound, "summary": ret.summary(),
                    "notes": list(r.notes)}}


def reduce(p, task_list, results):
    """Per source and sample count: the retarded energy, its error and the wall time; per
    source its description and the best (largest-N) value (JSON-ready dict)."""
    table = results[0]
    out = {"sources": {}, "rows": []}
    for task, res in zip(task_list[1:], results[1:], strict=True):
        info = out["sources"].setdefault(task[0], {**res["source_info"], **table})
        info.pop("naive_energy_J")                # last, as the largest N sets it
        info["naive_energy_J"] = res["source_info"]["naive_energy_J"]
        out["rows"].append(res["row"])
    for source in SOURCES:
        rows = [r for r in out["rows"] if r["source"] == source]
        if rows:
            best = rows[-1]
            info = out["sources"][source]
            info["best_retarded_energy"] = best["energy_retarded_J"]
            info["best_summary"] = best["summary"]
            # U_R against its α = 0 counterpart 2 U_naive (downstream on the axis, note §7)
            info["best_ratio_to_alpha0"] = (best["energy_retarded_J"]["value"]
                                            / (2 * info["naive_energy_J"]))
    return out


def write(p, config, out, data, progress=True):
    """convergence.csv, convergence.png and results.json; returns (files, summary)."""
    from nusim.studies import directional_figures as fig
    from nusim.studies import output

    header, rows = fig.convergence_table(data)
    tilt = next(iter(data["sources"].values()))["tilt_from_bodies_plane_rad"]
    title = (f"{config['study']['name']}: {p['attractor_material']} attractor → "
             f"{p['pendulum_material']} pendulum (cylinders, {100 * p['separation_m']:g} cm "
             f"apart)\nreactor {p['thermal_power_GW']:g} GW at {p['reactor_distance_m']:g} m, "
             f"{p['reactor_depth_m']:g} m below the bodies' plane (beam tilted {tilt:.3f} rad); "
             f"point core and {p['core_height_m']:g} m core")
    files = [output.write_csv(out / "convergence.csv", header, list(zip(*rows, strict=True))),
             fig.plot_convergence(data, out / "convergence.png", title),
             output.write_json(out / "results.json", data, config=config,
                               citations=(output.PAPER, *fig.CITATIONS))]
    return files, fig.convergence_summary(data)
