"""The search code path on objectives with known answers, its constraints and its bound rule.

The objectives here are analytic (no Monte Carlo), plugged into the same
``nusim.design.search.search`` the study uses, so these tests check the optimiser, the
constraint gate and the bound rule, fast.
"""

import math

import pytest

from nusim.design import builder, search
from nusim.design import space as sp

#: no turntable constraint: the interior-optimum tests must not be pinned by it
FREE = {"min_turntable_clearance_m": 0.0}


def _bump(d):
    """A smooth peak at gap 30 mm, attractor thickness 60 mm; 3 plates score best."""
    g = math.exp(-((d["gap_m"] - 0.03) / 0.02) ** 2
                 - ((d["attractor_thickness_m"] - 0.06) / 0.03) ** 2)
    return {"snr": g * d["n_plates"]}


def test_recovers_interior_optimum_of_an_analytic_objective():
    # lever arm short enough that the turntable constraint is far from the peak
    space = sp.space_from_dicts(
        fixed={"lever_arm_m": 0.015, "pendulum_width_m": 0.01, "offset_y_m": 0.03},
        continuous={"gap_m": (0.003, 0.08), "attractor_thickness_m": (0.005, 0.1)},
        discrete={"n_plates": [1, 2, 3]}, constraints=FREE)
    res = search.search(space, _bump, max_evaluations=120, screen_points=4, xatol=1e-3)
    best = res["best"]["design"]
    # Nelder–Mead with xatol 1e-3 of the range: 0.5 mm on either parameter is ≥ 5× that
    assert best["gap_m"] == pytest.approx(0.03, abs=5e-4)
    assert best["attractor_thickness_m"] == pytest.approx(0.06, abs=5e-4)
    assert best["n_plates"] == 3                       # the discrete optimum, by enumeration
    assert res["best"]["snr"] == pytest.approx(3.0, rel=1e-3)


def _turntable_gap(d, clearance):
    """Closed form of the smallest gap the turntable allows for an untilted, centred plate with
    L − w_a/2 > 0: the plate's inner corner (−(t_p/2 + g), L − w_a/2) must lie at r_pend + c
    from the fibre, r_pend = hypot(t_p/2, L + w_p/2)."""
    r_pend = math.hypot(d["pendulum_thickness_m"] / 2,
                        d["lever_arm_m"] + d["pendulum_width_m"] / 2)
    y = d["lever_arm_m"] - d["attractor_width_m"] / 2
    return math.sqrt((r_pend + clearance) ** 2 - y**2) - d["pendulum_thickness_m"] / 2


def test_recovers_the_constrained_optimum_on_the_turntable_boundary():
    # objective growing as the gap shrinks (as gravity's pull does): the best feasible design
    # sits exactly where the turning attractor just clears the pendulum's circle
    space = sp.space_from_dicts(continuous={"gap_m": (0.003, 0.08)},
                                constraints={"min_turntable_clearance_m": 0.003})
    res = search.search(space, lambda d: {"snr": 1.0 / d["gap_m"]}, max_evaluations=80,
                        screen_points=4, xatol=1e-4)
    expected = _turntable_gap({**sp.DEFAULTS}, 0.003)
    assert 0.003 < expected < 0.08                     # the boundary lies inside the range
    # xatol 1e-4 of the 77 mm range: 8 µm; allow 0.1 mm
    assert res["best"]["design"]["gap_m"] == pytest.approx(expected, abs=1e-4)
    assert res["best"]["design"]["gap_m"] >= expected - 1e-12   # never on the wrong side


def test_constraints_hold_for_every_evaluated_design():
    seen = []

    def spy(d):
        seen.append(dict(d))
        return {"snr": d["attractor_thickness_m"] * d["pendulum_thickness_m"] / d["gap_m"]}

    space = sp.space_from_dicts(
        continuous={"gap_m": (0.003, 0.08), "attractor_thickness_m": (0.005, 0.15),
                    "pendulum_thickness_m": (0.002, 0.06), "tilt_deg": (-30.0, 30.0)},
        discrete={"n_plates": [1, 3]}, fixed={"plate_spacing_m": 0.001})
    res = search.search(space, spy, max_evaluations=60, screen_points=6)
    rejected = [r for r in res["history"] if not r["feasible"]]
    assert rejected, "the test needs proposals that break constraints"
    assert all(r["violations"] and r["snr"] == 0.0 for r in rejected)
    assert len(seen) == sum(1 for r in res["history"] if r["feasible"])
    for d in seen:                                     # nothing infeasible reached the objective
        assert builder.violations(d, space.constraints) == []


def test_a_bound_only_evaluation_never_wins():
    # designs with a gap below 40 mm return only a (huge) bound: they must score nothing
    def obj(d):
        if d["gap_m"] < 0.04:
            return {"snr": 0.0, "snr_bound": 1e9, "bound_reason": "only a bound"}
        return {"snr": 1.0 / d["gap_m"]}

    space = sp.space_from_dicts(continuous={"gap_m": (0.003, 0.08)}, constraints=FREE)
    res = search.search(space, obj, max_evaluations=40, screen_points=6)
    assert any(r["bound_reason"] == "only a bound" for r in res["history"])
    best = res["best"]
    assert best["bound_reason"] is None
    assert best["design"]["gap_m"] >= 0.04
    assert best["snr"] == pytest.approx(25.0, rel=1e-2)   # 1/0.04 m, the edge of the bounds


def test_best_record_ignores_bounds_and_infeasible_records():
    hist = [{"feasible": True, "bound_reason": "only a bound", "snr": 0.0, "snr_bound": 1e30},
            {"feasible": False, "bound_reason": "infeasible", "snr": 0.0},
            {"feasible": True, "bound_reason": None, "snr": 2.0}]
    assert search.best_record(hist) is hist[2]
    assert search.best_record(hist[:2]) is None


def test_profiles_scan_each_continuous_parameter_through_the_optimum():
    space = sp.space_from_dicts(
        fixed={"lever_arm_m": 0.015, "pendulum_width_m": 0.01, "offset_y_m": 0.03},
        continuous={"gap_m": (0.003, 0.08), "attractor_thickness_m": (0.005, 0.1)},
        constraints=FREE)
    best = sp.from_unit(space, [0.5, 0.5])
    prof = search.profiles(space, _bump, best, points=5, span=0.2)
    assert set(prof) == {"gap_m", "attractor_thickness_m"}
    for name, recs in prof.items():
        xs = [r["design"][name] for r in recs]
        assert xs == sorted(xs)
        assert best[name] in xs
        others = [k for k in space.continuous if k != name]
        assert all(r["design"][k] == best[k] for r in recs for k in others)


def test_polish_moves_a_stalled_winner_along_an_axis():
    # a winner 20 mm off the peak in the gap (as a Nelder–Mead stopped on its budget would
    # leave it): the axis scans move it to the better side and report the move
    space = sp.space_from_dicts(
        fixed={"lever_arm_m": 0.015, "pendulum_width_m": 0.01, "offset_y_m": 0.03},
        continuous={"gap_m": (0.003, 0.08), "attractor_thickness_m": (0.005, 0.1)},
        constraints=FREE)
    start = {**sp.from_unit(space, [0.5, 0.5]), "gap_m": 0.05, "attractor_thickness_m": 0.06}
    best = search.make_evaluator(space, _bump, [])(start, "search")
    new, prof, moves = search.polish(space, _bump, best, points=5, span=0.25, rounds=3)
    assert moves
    assert moves[0][0] == "gap_m"
    assert new["snr"] > best["snr"]
    assert abs(new["design"]["gap_m"] - 0.03) < abs(start["gap_m"] - 0.03)
    assert new["design"]["gap_m"] in [r["design"]["gap_m"] for r in prof["gap_m"]]
