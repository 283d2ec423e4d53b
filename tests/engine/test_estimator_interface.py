"""The directional estimator's interface as a new user meets it (nusim.engine.directional):
comparable ``samples`` for both estimators, point-core reactors with brute-force pairs, the
paraxial note on the smallest feature, honest small runs (no '0 ± 0', untrusted errors flagged)
and typed argument errors."""

import math

import numpy as np
import pytest

from nusim import units
from nusim.engine import directional as d
from nusim.engine.directional import DirectionalBeam, directional_interaction
from nusim.engine.interact import interact
from nusim.engine.kernels import SIGMA_T_CUT
from nusim.engine.pairsum import Beam
from nusim.engine.result import Estimate
from nusim.errors import ArgumentError, NusimError
from nusim.geometry import shapes
from nusim.geometry.bodies import Body, Pose
from nusim.physics import beam as beams
from nusim.sources import profiles

A, DIST = 0.01, 0.1          # two coaxial copper spheres, radius 1 cm, centres 10 cm apart
QUIET = dict(derivatives=False, self_force=False, progress=False)


def _spheres(offset=(0, 0, DIST)):
    src = Body("one", "attractor", "copper", shapes.Sphere(radius_m=A))
    tgt = Body("two", "pendulum", "copper", shapes.Sphere(radius_m=A), Pose(position_m=offset))
    return src, tgt


def _line(n_f, rel_width=0.0):
    """A line whose N_F = E a²/D is n_f (width σ = rel_width E)."""
    e_ev = n_f * DIST / A**2 * units.HBARC_EV_M
    return beams.line_spectrum(e_ev, 1.0, width=rel_width * e_ev)


def _broad():
    """A reactor-like broad spectrum (3 ± 0.4 MeV): N_F = 2.6e10 for the spheres."""
    return beams.gaussian_beam_spectrum(1.0, 3e6, 0.4e6)


# 1. samples = kernel evaluations per replica for both estimators ------------------------------

@pytest.mark.parametrize(("samples", "points"), [(100, 10), (101, 11), (4_000_000, 2000)])
def test_points_per_body_is_the_ceiling_of_the_square_root(samples, points):
    assert d.points_per_body(samples) == points


def test_pairs_samples_are_pair_evaluations():
    """samples = 400 pair evaluations: 20 points per body, bit-identical to interact() with 20
    points (same streams), and the result says so."""
    src, tgt = _spheres()
    spec = _line(0.3)
    res = directional_interaction(src, tgt, DirectionalBeam(spec, (0, 0, 1)), samples=400,
                                  seed=2, estimator="pairs", progress=False)
    assert res.n_samples == 400
    assert any("20 points per body (400 pairs)" in n for n in res.notes)
    u = res["energy_symmetric_J"]
    assert u.samples_label == "pair samples" and u.n_samples == 400
    assert "(400 pair samples × 8 replicas, seed 2)" in u.summary()
    old = interact([src], [tgt], Beam(spec, (0, 0, 1), "symmetric", "e"), 20, 2, replicas=8,
                   progress=False)
    assert u.value == old.energy_J and u.error == old.energy_err_J


# 2. a point-core reactor with estimator="pairs" ---------------------------------------------

def test_pairs_accept_a_point_core_and_refuse_finite_sources():
    from nusim.sources.reactor import Reactor

    src, tgt = _spheres(offset=(DIST, 0, 0))
    mid = np.array([0.05, 0.0, 0.0])
    point = d.reactor_beam(Reactor(2.9, (-9.95, 0.0, 0.0), antineutrinos_per_fission=7.1), mid)
    res = directional_interaction(src, tgt, point, samples=400, replicas=2, seed=1,
                                  estimator="pairs", progress=False)
    assert res.estimator == "pairs"
    # L = 5 cm + the bounding sphere √3 a of a body, R = 10 m: L/R = 1.35e-2 / ... exactly:
    reach = 0.05 + math.sqrt(3) * A
    note = next(n for n in res.notes if "point core" in n)
    assert f"L/R = {reach / 10.0:.2g} rad" in note and f"2L/R = {2 * reach / 10.0:.2g}" in note
    # k̂ the direction at the reference point: identical to the plane wave along it
    plane = directional_interaction(src, tgt, DirectionalBeam(point.spectrum, point.direction),
                                    samples=400, replicas=2, seed=1, estimator="pairs",
                                    progress=False)
    for key in ("energy_symmetric_J", "energy_retarded_J"):
        assert res[key].value == plane[key].value and res[key].error == plane[key].error
    # "auto" keeps the wake estimator for a point core (exact per-sample directions there)
    assert d._choose("auto", 0.1, point) == "wake"
    core = d.reactor_beam(Reactor(2.9, (-9.95, 0.0, 0.0), antineutrinos_per_fission=7.1,
                                  core_radius_m=1.5, core_height_m=3.0), mid)
    with pytest.raises(ArgumentError, match=r"not a finite reactor core .*use "
                                            r"estimator='wake' or 'auto'"):
        directional_interaction(src, tgt, core, estimator="pairs", progress=False)
    blurred = DirectionalBeam(point.spectrum, point.direction, profiles.Gaussian(0.1))
    with pytest.raises(ArgumentError, match=r"not the angular profile Gaussian; use "
                                            r"estimator='wake' or 'auto'"):
        directional_interaction(src, tgt, blurred, estimator="pairs", progress=False)


# 3. the paraxial note fires on the smallest feature ------------------------------------------

def test_smallest_feature():
    pose = Pose(position_m=(0.3, 0, 0))
    assert d.smallest_feature_m(Body("s", "fixed", "copper", shapes.Sphere(radius_m=0.02))) == 0.02
    cyl = Body("c", "fixed", "copper", shapes.Cylinder(radius_m=0.01, height_m=0.004), pose)
    assert d.smallest_feature_m(cyl) == pytest.approx(0.002, rel=1e-12)
    box = Body("b", "fixed", "copper", shapes.Box(size_m=(0.1, 0.02, 0.003)))
    assert d.smallest_feature_m(box) == pytest.approx(0.0015, rel=1e-12)
    ring = Body("r", "fixed", "copper", shapes.Annulus(inner_radius_m=0.009, outer_radius_m=0.01,
                                                   height_m=0.02))
    assert d.smallest_feature_m(ring) == pytest.approx(0.0005, rel=1e-9)


def test_paraxial_note_fires_for_the_documented_bias():
    """Two coaxial spheres at N_F = 3 (E a = 30) carry −0.5 % paraxial bias (test_wake.py): the
    note gives 4.5/(E a)² = 5.0e-3; 1 cm bodies in a 1 MeV beam (E L ~ 1e10) get none."""
    src, tgt = _spheres()
    res = directional_interaction(src, tgt, DirectionalBeam(_line(3.0), (0, 0, 1)),
                                  samples=2000, replicas=2, estimator="wake", **QUIET)
    note = next(n for n in res.notes if "paraxial" in n)
    assert "= 0.005 relative (E_min·L = 30" in note and "L = 0.01 m" in note
    mev = DirectionalBeam(beams.line_spectrum(1e6, 1.0), (1, 0, 0))
    cyl = shapes.Cylinder(radius_m=0.005, height_m=0.01)
    a = Body("a", "attractor", "copper", cyl)
    b = Body("b", "pendulum", "copper", cyl, Pose(position_m=(0.1, 0, 0)))
    res = directional_interaction(a, b, mev, samples=2000, replicas=2, **QUIET)
    assert not any("paraxial" in n for n in res.notes)


# 4. small runs: no '0 ± 0', untrusted errors flagged -----------------------------------------

def test_estimate_all_zero_replicas_are_never_0_pm_0():
    blind = Estimate.from_replicas("U", [0.0, 0.0, 0.0], "J", 100, 1)
    assert blind.is_blind and not blind.trusted
    assert "0 ± 0" not in blind.summary() and "not resolved" in blind.summary()
    assert blind.to_dict()["error"] is None and blind.to_dict()["trusted"] is False
    exact = Estimate.from_replicas("U", [0.0, 0.0], "J", 100, 1, exact_zero_reason="causal")
    assert exact.summary().startswith("U = 0 exactly (causal)") and exact.trusted
    assert not exact.is_upper_bound and exact.to_dict()["exact_zero_reason"] == "causal"
    with pytest.raises(ValueError, match="exact_zero_reason given but the replicas are not"):
        Estimate.from_replicas("U", [0.0, 1.0], "J", 100, 1, exact_zero_reason="causal")


def test_blind_pairs_are_not_resolved_and_untrusted():
    """Reproduces the new user's '0 ± 0 J': a 3 MeV broad beam (N_F = 2.6e10) on the spheres
    with 100 points per body (1e4 pair samples). No sampled pair lies within the spectrum's
    coherence length (8.6/σ_min = 1.3e-10 m of path difference), so every replica is exactly 0; the
    wake estimator gives U = −6.2e-35 J (docs). Now: 'not resolved', untrusted, noted."""
    src, tgt = _spheres()
    res = directional_interaction(src, tgt, DirectionalBeam(_broad(), (0, 0, 1)),
                                  samples=10_000, replicas=4, seed=3, estimator="pairs",
                                  progress=False)
    text = res.summary()
    assert "0 ± 0" not in text
    u = res["energy_symmetric_J"]
    assert u.is_blind and not u.trusted and "no sampled pair came within" in u.untrusted_reason
    assert "U (symmetric): not resolved (10000 pair samples" in text
    assert res.to_dict()["estimates"]["energy_symmetric_J"]["error"] is None
    assert any("replica errors untrustworthy below" in n for n in res.notes)


def test_exact_zero_beyond_the_coherence_length():
    """The spheres side by side across a broad beam: their bounding spheres (radius √3 a) are
    0.1 − 2√3 a = 0.0654 m apart across it, so every pair's path difference is ≥ 1.6 cm, 1e8
    coherence lengths (8.6/σ_min = 1.3e-10 m): the kernel is < 1e-16 of its peak for every
    pair — an exact zero with its reason."""
    src, tgt = _spheres()
    res = directional_interaction(src, tgt, DirectionalBeam(_broad(), (1, 0, 0)), samples=400,
                                  replicas=2, estimator="pairs", progress=False)
    u = res["energy_retarded_J"]
    assert u.exact_zero_reason is not None and u.trusted
    assert u.summary().startswith("U (retarded) = 0 exactly (the bodies lie ≥ 0.0654 m apart "
                                  "across the beam")


def test_causal_zero_of_the_wake_estimator():
    """Target downstream, point source: the source sits entirely outside the target's wake, so
    the reverse retarded channel is 0 by causality and says so."""
    src, tgt = _spheres()
    res = directional_interaction(src, tgt, DirectionalBeam(beams.line_spectrum(1e6, 1.0),
                                                            (0, 0, 1)),
                                  samples=2000, replicas=2, **QUIET)
    rev = res["energy_retarded_reverse_J"]
    assert rev.value == 0.0 and rev.trusted
    assert rev.summary().startswith("U_R (source in the target's wake) = 0 exactly (causal: "
                                    "one lies entirely upstream of two")


def test_untrusted_below_the_coherent_pair_threshold():
    """Line of relative width 0.1 at N_F = 1e7 (σ a²/D = 1e6): the kernel survives only for
    a fraction 2·8.6·D/(σ a²) = 1.7e-5 of pairs, so errors are trusted from 10/1.7e-5 = 5.8e5
    pair samples (coverage measured in PAIRS_MIN_COHERENT's comment: 11/20 at 1e4 pairs).
    1e4 pairs: flagged; a monochromatic line at N_F = 0.3 with 100 pairs: trusted."""
    src, tgt = _spheres()
    spec = _line(1e7, 0.1)
    sigma = 0.1 * 1e7 * DIST / A**2
    minimum = d.PAIRS_MIN_COHERENT * sigma * A**2 / (2 * SIGMA_T_CUT * DIST)
    res = directional_interaction(src, tgt, DirectionalBeam(spec, (0, 0, 1)), samples=10_000,
                                  replicas=4, seed=1, estimator="pairs", progress=False)
    note = next(n for n in res.notes if "untrustworthy" in n)
    assert note.startswith(f"replica errors untrustworthy below {minimum:.2g} pair samples: "
                           "heavy-tailed replicas")
    assert "the bound may exclude the truth" in note
    for est in res.estimates.values():
        assert not est.trusted
        assert "UNTRUSTED" in est.summary() and est.to_dict()["trusted"] is False
    ok = directional_interaction(src, tgt, DirectionalBeam(_line(0.3), (0, 0, 1)), samples=100,
                                 replicas=4, estimator="pairs", progress=False)
    assert all(e.trusted for e in ok.estimates.values())
    assert not any("untrustworthy" in n for n in ok.notes)


# 5. deliberate errors are NusimErrors --------------------------------------------------------

@pytest.mark.parametrize(("kwargs", "match"), [
    (dict(samples=5), r"samples=5 must be an integer ≥ 10 \(kernel evaluations per replica\)"),
    (dict(samples=1.5e4), r"samples=15000.0 must be an integer"),
    (dict(replicas=1), r"replicas=1 must be an integer ≥ 2"),
    (dict(seed=-1), r"seed=-1 must be a non-negative integer"),
    (dict(estimator="fast"), r"estimator='fast' is not one of 'auto', 'wake', 'pairs'"),
])
def test_bad_arguments_raise_argument_error(kwargs, match):
    src, tgt = _spheres()
    with pytest.raises(ArgumentError, match=match) as info:
        directional_interaction(src, tgt, DirectionalBeam(_line(0.3), (0, 0, 1)),
                                progress=False, **kwargs)
    assert isinstance(info.value, NusimError) and isinstance(info.value, ValueError)


def test_bad_beams_raise_argument_error():
    spec = _line(0.3)
    with pytest.raises(ArgumentError, match=r"DirectionalBeam: direction: must be a non-zero"):
        DirectionalBeam(spec, (0, 0, 0))
    with pytest.raises(ArgumentError, match=r"charge='tau' is not 'e' or 'mu'"):
        DirectionalBeam(spec, (0, 0, 1), charge="tau")
    from nusim.engine.wake import Emitter
    with pytest.raises(ArgumentError, match=r"reference_point_m: needed with an emitter"):
        DirectionalBeam(spec, (0, 0, 1), emitter=Emitter((0, 0, -10.0), 0.0, 0.0, (0, 0, 1)))
