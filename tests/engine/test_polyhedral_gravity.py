"""Gravity of mesh bodies against an independent exact code: polyhedral-gravity (Tsoulis'
line-integral method for constant-density polyhedra), potential and acceleration at exterior
points of a box, a cylinder and an annulus mesh."""

import numpy as np
import pytest
import trimesh

pg = pytest.importorskip("polyhedral_gravity")

from nusim import constants  # noqa: E402
from nusim.engine import pair_sums  # noqa: E402
from nusim.geometry import bodies, materials, shapes  # noqa: E402

G = constants.NEWTON_G.value
COPPER = materials.material("copper")
MESHES = {
    "box": trimesh.creation.box(extents=(0.04, 0.03, 0.02)),
    "cylinder": trimesh.creation.cylinder(radius=0.02, height=0.03, sections=48),
    "annulus": trimesh.creation.annulus(r_min=0.01, r_max=0.025, height=0.01, sections=48),
}
# generic points: a point whose projection falls exactly on a triangulation edge (e.g. above a
# box face centre, where the face diagonal runs) is a singular case polyhedral-gravity 3.x
# gets wrong, so none of these lies on a symmetry line of the meshes
POINTS = np.array([[0.06, 0.01, 0.005], [-0.02, 0.05, -0.03], [0.003, -0.002, 0.04]])


def _reference(mesh):
    """(potential per unit mass [J/kg] with nusim's sign, acceleration [m/s²]) at POINTS."""
    poly = pg.Polyhedron((np.asarray(mesh.vertices), np.asarray(mesh.faces)),
                         COPPER.density_kg_m3,
                         normal_orientation=pg.NormalOrientation.OUTWARDS,
                         integrity_check=pg.PolyhedronIntegrity.DISABLE)
    res = pg.evaluate(poly, POINTS.tolist(), parallel=False)
    # polyhedral-gravity's potential is +Gρ∫dV/r and uses G = 6.67430e-11 (CODATA 2018)
    return -np.array([r[0] for r in res]), np.array([r[1] for r in res])


def _estimate(body, n, method, replicas=8, seed=11):
    """Per-point potential and acceleration from `replicas` independent sample sets (mean, sem)."""
    pot, acc = [], []
    for r in range(replicas):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(r,)))
        s = bodies.sample_body(body, n, rng, method)
        p_r, a_r = [], []
        for x in POINTS:
            e, f, _ = pair_sums(s.positions_m, s.mass_kg, x[None, :], np.ones(1), "gravity")
            p_r.append(e)        # energy of a 1 kg probe = potential [J/kg]
            a_r.append(f)        # force on a 1 kg probe = acceleration [m/s²]
        pot.append(p_r)
        acc.append(a_r)
    pot, acc = np.array(pot), np.array(acc)
    sem = lambda a: a.std(axis=0, ddof=1) / np.sqrt(replicas)  # noqa: E731
    return pot.mean(0), sem(pot), acc.mean(0), sem(acc)


@pytest.mark.parametrize("name", sorted(MESHES))
@pytest.mark.parametrize("method", ["random", "sobol"])
def test_mesh_gravity_matches_polyhedral_gravity(name, method):
    mesh = MESHES[name]
    body = bodies.Body(name, "attractor", COPPER, shapes.MeshShape(mesh))
    ref_pot, ref_acc = _reference(mesh)
    pot, pot_err, acc, acc_err = _estimate(body, 4096, method)
    # agreement within 4σ of the replica error (8 replicas), plus 1e-9 relative for the
    # reference's own accuracy
    assert np.all(np.abs(pot - ref_pot) <= 4 * pot_err + 1e-9 * np.abs(ref_pot))
    assert np.all(np.abs(acc - ref_acc) <= 4 * acc_err + 1e-9 * np.abs(ref_acc).max())
    # and the error is small: below 1 % (random) / 0.1 % (Sobol) of the potential
    assert np.all(pot_err < (1e-2 if method == "random" else 1e-3) * np.abs(ref_pot))


def test_error_shrinks_as_inverse_sqrt_n_random_and_faster_for_sobol():
    mesh = MESHES["cylinder"]
    body = bodies.Body("cyl", "attractor", COPPER, shapes.MeshShape(mesh))
    ref_pot, _ = _reference(mesh)
    errs = {m: [] for m in ("random", "sobol")}
    ns = (512, 8192)
    for m in errs:
        for n in ns:
            _, err, _, _ = _estimate(body, n, m, replicas=12)
            errs[m].append(err[0] / abs(ref_pot[0]))
    # random: 16× more points → error /4 (1/√N); allow the replica-error scatter (±35 % for
    # 12 replicas at 2σ) → ratio in [2.6, 6.2]
    ratio = errs["random"][0] / errs["random"][1]
    assert 2.6 < ratio < 6.2
    # Sobol converges faster than 1/√N and is well below random at equal N (the volume-weighted
    # choice of tetrahedron makes the map from the unit cube discontinuous, which limits the
    # quasi-random gain for mesh bodies: observed ×5 at N = 8192)
    assert errs["sobol"][0] / errs["sobol"][1] > 6.2
    assert errs["sobol"][1] < 0.3 * errs["random"][1]
