"""Shapes: exact volumes and centroids, exact uniform sampling, faceting, mesh loading, checks."""

import math

import numpy as np
import pytest
import trimesh

from nusim.errors import ArgumentError
from nusim.geometry import shapes as sh

# Monte Carlo assertions: |estimate − exact| < K_SIGMA × (standard error from the same samples);
# fixed seeds, so a pass is reproducible; 4σ leaves ~6e-5 chance per check for a fresh seed.
K_SIGMA = 4.0
# Round-off of closed forms and of signed-tetrahedron sums over O(10) faces (relative).
ROUNDOFF = 1e-12
N_MC = 40_000

R, H, R1 = 0.03, 0.05, 0.012
# name -> (shape, exact volume, exact second moments <x²>, <y²>, <z²> about the centroid)
PRIMITIVES = {
    "sphere": (sh.Sphere(R), 4 / 3 * math.pi * R**3, [R**2 / 5] * 3),
    "box": (sh.Box((0.01, 0.02, 0.04)), 0.01 * 0.02 * 0.04,
            [0.01**2 / 12, 0.02**2 / 12, 0.04**2 / 12]),
    "plate": (sh.Plate((0.1, 0.08, 0.002)), 0.1 * 0.08 * 0.002,
              [0.1**2 / 12, 0.08**2 / 12, 0.002**2 / 12]),
    "cylinder": (sh.Cylinder(R, H), math.pi * R**2 * H, [R**2 / 4, R**2 / 4, H**2 / 12]),
    "annulus": (sh.Annulus(R1, R, H), math.pi * (R**2 - R1**2) * H,
                [(R**2 + R1**2) / 4, (R**2 + R1**2) / 4, H**2 / 12]),
    # cone about its centroid: <x²> = 3R²/20, <z²> = 3h²/80
    "cone": (sh.Cone(R, H), math.pi * R**2 * H / 3,
             [3 * R**2 / 20, 3 * R**2 / 20, 3 * H**2 / 80]),
}


def assert_moments(points, centroid, second, k=K_SIGMA):
    """Mean and diagonal second moments (about ``centroid``) within k standard errors."""
    n = len(points)
    d = points - centroid
    for axis in range(3):
        x = d[:, axis]
        assert abs(x.mean()) < k * x.std() / math.sqrt(n), ("mean", axis)
        x2 = x**2
        assert abs(x2.mean() - second[axis]) < k * x2.std() / math.sqrt(n), ("second", axis)
    for i, j in ((0, 1), (0, 2), (1, 2)):      # symmetric solids: no products of inertia
        xy = d[:, i] * d[:, j]
        assert abs(xy.mean()) < k * xy.std() / math.sqrt(n), ("cross", i, j)


# ------------------------------------------------------------------------------------------
# Primitives
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(PRIMITIVES))
def test_primitive_volume_centroid_bounds(name):
    shape, volume, _ = PRIMITIVES[name]
    assert shape.volume_m3 == pytest.approx(volume, rel=ROUNDOFF, abs=0)
    np.testing.assert_array_equal(shape.centroid_m, np.zeros(3))
    lo, hi = shape.bounds_m
    assert np.all(hi > lo)
    # the mesh of the solid (display only) is watertight and fits in the bounds
    mesh = shape.to_mesh(32)
    assert mesh.is_watertight
    assert np.all(mesh.bounds[0] >= lo - 1e-15)
    assert np.all(mesh.bounds[1] <= hi + 1e-15)


@pytest.mark.parametrize("method", sh.SAMPLING_METHODS)
@pytest.mark.parametrize("name", list(PRIMITIVES))
def test_primitive_sampling_is_uniform(name, method):
    shape, _, second = PRIMITIVES[name]
    points = shape.sample(N_MC, np.random.default_rng(20240601), method)
    assert points.shape == (N_MC, 3)
    assert shape.contains(points).all()
    assert_moments(points, shape.centroid_m, second)


@pytest.mark.parametrize("name", list(PRIMITIVES))
def test_primitive_volume_fraction_of_bounding_box(name):
    # Uniform points in the bounding box: the fraction inside estimates V / V_box (binomial σ).
    shape, volume, _ = PRIMITIVES[name]
    lo, hi = shape.bounds_m
    rng = np.random.default_rng(7)
    p = lo + rng.random((N_MC, 3)) * (hi - lo)
    f_exact = volume / np.prod(hi - lo)
    f = shape.contains(p).mean()
    assert abs(f - f_exact) <= K_SIGMA * math.sqrt(f_exact * (1 - f_exact) / N_MC)  # box: 0 = 0


def test_cone_placement_base_at_minus_quarter_height():
    cone = sh.Cone(1.0, 4.0)
    np.testing.assert_allclose(cone.bounds_m, [[-1, -1, -1], [1, 1, 3]])
    inside = cone.contains(np.array([[0, 0, 2.99], [0.99, 0, -0.99], [0.5, 0, 1.0], [0, 0, -1.01]]))
    # radius at z is R (3 − z)/4: at z = 1 it is 0.5
    np.testing.assert_array_equal(inside, [True, True, True, False])
    np.testing.assert_allclose(cone.to_mesh().bounds, cone.bounds_m, atol=1e-12)


def test_sobol_beats_random_for_a_smooth_moment():
    # <r²> of the cylinder, exact R²/2 + h²/12; RMS error over 16 seeds at N = 4096
    cyl = sh.Cylinder(R, H)
    exact = R**2 / 2 + H**2 / 12
    n, seeds = 4096, range(16)

    def rms(method):
        errs = [np.mean(np.sum(cyl.sample(n, np.random.default_rng(s), method)**2, axis=1))
                - exact for s in seeds]
        return math.sqrt(np.mean(np.square(errs)))

    rms_random, rms_sobol = rms("random"), rms("sobol")
    # measured: random 6.7e-3 relative (1/√N), Sobol < 1e-9 (r² is a polynomial in the variates,
    # which a 2^12-point scrambled net integrates almost exactly); ask for a factor 10 only
    assert rms_sobol < rms_random / 10
    assert rms_random / exact == pytest.approx(
        np.std(np.sum(cyl.sample(200_000, np.random.default_rng(1))**2, axis=1))
        / exact / math.sqrt(n), rel=0.5, abs=0)           # random error is the 1/√N one (16 seeds: ±35 %)


def test_64_facet_cylinder_volume_is_the_regular_polygon_factor():
    cyl = sh.Cylinder(R, H)
    mesh = cyl.to_mesh(sections=64)
    factor = 64 / (2 * math.pi) * math.sin(2 * math.pi / 64)   # inscribed 64-gon / circle
    assert factor == pytest.approx(1 - 0.0016, abs=0.00005)    # "0.16 % less volume"
    assert mesh.volume / cyl.volume_m3 == pytest.approx(factor, rel=ROUNDOFF, abs=0)
    meshed = sh.MeshShape(mesh)
    assert meshed.volume_m3 / cyl.volume_m3 == pytest.approx(factor, rel=ROUNDOFF, abs=0)


def test_uniform_variates_sobol_prefix_and_errors():
    # 1000 is not a power of 2: no scipy balance warning (pytest turns warnings into errors)
    u = sh.uniform_variates(1000, np.random.default_rng(3), "sobol")
    assert u.shape == (1000, 3)
    assert np.all((u >= 0) & (u < 1))
    v = sh.uniform_variates(1024, np.random.default_rng(3), "sobol")
    np.testing.assert_array_equal(u, v[:1000])                          # same sequence, prefix
    with pytest.raises(ArgumentError, match=r"method: unknown sampling method \('halton'\)\. Use "
                                         r"one of 'random', 'sobol'"):
        sh.uniform_variates(10, np.random.default_rng(3), "halton")
    with pytest.raises(ArgumentError, match=r"rng: must be a numpy.random.Generator \(42\)"):
        sh.uniform_variates(10, 42)
    with pytest.raises(ArgumentError, match=r"n: must be a positive integer \(0\)"):
        sh.Sphere(1.0).sample(0, np.random.default_rng(3))


def test_primitive_argument_errors():
    with pytest.raises(ArgumentError, match=r"Sphere: radius_m: must be a finite length > 0 \[m\] "
                                         r"\(-1\.0\)"):
        sh.Sphere(-1.0)
    with pytest.raises(ArgumentError, match=r"Annulus: inner_radius_m: must be smaller than "
                                         r"outer_radius_m \(2\.0 >= 1\.0\)"):
        sh.Annulus(2.0, 1.0, 1.0)
    with pytest.raises(ArgumentError, match=r"Box: size_m: must be three edge lengths"):
        sh.Box((1.0, 2.0))
    with pytest.raises(ArgumentError, match=r"Cylinder: height_m: is not a number \('tall'\)"):
        sh.Cylinder(1.0, "tall")


# ------------------------------------------------------------------------------------------
# Meshes
# ------------------------------------------------------------------------------------------

def l_prism(a=3.0, b=1.0, t=1.0):
    """L-shaped prism: the union of [0, a]×[0, b] and [0, b]×[0, a] in x-y, z in [0, t].

    For a = 3b its centroid, (1.1, 1.1, ½) b, lies outside the solid: not star-shaped.
    """
    poly = [(0, 0), (a, 0), (a, b), (b, b), (b, a), (0, a)]
    tris2d = [(0, 1, 2), (0, 2, 3), (0, 3, 5), (3, 4, 5)]
    n = len(poly)
    verts = [(x, y, 0.0) for x, y in poly] + [(x, y, t) for x, y in poly]
    faces = [(i, k, j) for i, j, k in tris2d]                     # bottom, normal −z
    faces += [(i + n, j + n, k + n) for i, j, k in tris2d]        # top, normal +z
    for i in range(n):
        j = (i + 1) % n
        faces += [(i, j, j + n), (i, j + n, i + n)]               # sides, outward
    return trimesh.Trimesh(np.array(verts, float), np.array(faces), process=False)


def l_prism_exact(a=3.0, b=1.0, t=1.0):
    """Volume, centroid and second moments about the centroid of the L prism (two boxes)."""
    boxes = [((0, a), (0, b)), ((0, b), (b, a))]                  # disjoint pieces
    vol = sum((x1 - x0) * (y1 - y0) * t for (x0, x1), (y0, y1) in boxes)
    mean = np.zeros(3)
    raw2 = np.zeros(3)
    for (x0, x1), (y0, y1) in boxes:
        v = (x1 - x0) * (y1 - y0) * t
        mean += v * np.array([(x0 + x1) / 2, (y0 + y1) / 2, t / 2])
        raw2 += v * np.array([(x1**3 - x0**3) / (3 * (x1 - x0)),
                              (y1**3 - y0**3) / (3 * (y1 - y0)), t**2 / 3])
    mean /= vol
    return vol, mean, raw2 / vol - mean**2


def test_box_mesh_is_sampled_by_tetrahedra():
    mesh = trimesh.creation.box(extents=(0.01, 0.02, 0.04))
    mesh.apply_translation((0.1, -0.2, 0.3))                      # centroid off the origin
    shape = sh.MeshShape(mesh)
    assert shape.sampling == "tetrahedra"
    assert shape.volume_m3 == pytest.approx(0.01 * 0.02 * 0.04, rel=ROUNDOFF, abs=0)
    np.testing.assert_allclose(shape.centroid_m, [0.1, -0.2, 0.3], rtol=0, atol=1e-15)
    for method in sh.SAMPLING_METHODS:
        p = shape.sample(N_MC, np.random.default_rng(11), method)
        assert shape.contains(p).all()
        assert_moments(p, shape.centroid_m, PRIMITIVES["box"][2])


def test_l_shaped_mesh_falls_back_to_exact_rejection():
    shape = sh.MeshShape(l_prism())
    vol, mean, second = l_prism_exact()
    assert vol == 5.0
    assert shape.sampling == "rejection"                  # centroid (1.1, 1.1) is outside the L
    assert not shape.contains(mean[None, :])[0]
    assert shape.volume_m3 == pytest.approx(vol, rel=ROUNDOFF, abs=0)
    np.testing.assert_allclose(shape.centroid_m, mean, rtol=ROUNDOFF)
    for method in sh.SAMPLING_METHODS:
        p = shape.sample(N_MC // 4, np.random.default_rng(5), method)
        assert p.shape == (N_MC // 4, 3)
        assert shape.contains(p).all()
        n = len(p)
        for axis in range(3):
            x = p[:, axis] - mean[axis]
            assert abs(x.mean()) < K_SIGMA * x.std() / math.sqrt(n)
            assert abs((x**2).mean() - second[axis]) < K_SIGMA * (x**2).std() / math.sqrt(n)
    with pytest.raises(ArgumentError, match=r"not star-shaped about its centroid"):
        shape.from_unit_cube(np.full((2, 3), 0.5))


def test_l_shaped_mesh_star_decomposition_would_be_wrong():
    # Why the fallback: the signed tetrahedra from the centroid include negative ones, so their
    # |volumes| overcount the solid (they are not a sampling density).
    mesh = l_prism()
    shape = sh.MeshShape(mesh)
    tet = sh._signed_tetra_volumes(mesh.vertices[mesh.faces], shape.centroid_m)
    assert tet.min() < 0
    assert np.abs(tet).sum() > 1.05 * shape.volume_m3
    assert tet.sum() == pytest.approx(shape.volume_m3, rel=ROUNDOFF, abs=0)


def test_mesh_contains_against_closed_form():
    shape = sh.MeshShape(l_prism())
    pts = np.array([[0.5, 0.5, 0.5], [2.5, 0.5, 0.5], [0.5, 2.5, 0.5], [2.0, 2.0, 0.5],
                    [0.5, 0.5, 1.5], [-0.1, 0.5, 0.5]])
    np.testing.assert_array_equal(shape.contains(pts), [True, True, True, False, False, False])
    np.testing.assert_allclose(sh.winding_number(pts[:2], shape.mesh.vertices, shape.mesh.faces),
                               1.0, atol=1e-12)       # solid angles sum to 4π inside (round-off)


def _export(mesh, path):
    mesh.export(path)
    return path


@pytest.mark.parametrize("ext", sh.MESH_FILE_TYPES)
def test_load_mesh_formats_and_units(tmp_path, ext):
    mesh = trimesh.creation.box(extents=(10.0, 20.0, 30.0))        # millimetres
    path = _export(mesh, tmp_path / f"block.{ext}")
    shape = sh.load_mesh(path, "mm", body="block")
    assert shape.volume_m3 == pytest.approx(10 * 20 * 30 * 1e-9, rel=1e-9, abs=0)   # float32 formats
    assert shape.source == str(path)
    assert sh.load_mesh(path, "in").volume_m3 == pytest.approx(6000 * 0.0254**3, rel=1e-9, abs=0)


def test_load_mesh_unit_is_required_and_checked(tmp_path):
    path = _export(trimesh.creation.box(), tmp_path / "cube.stl")
    with pytest.raises(sh.GeometryError, match=r"cube\.stl: bodies\.mass1\.mesh: unit: unknown "
                                               r"length unit \('ft'\)\. Use one of 'm', 'cm'"):
        sh.load_mesh(path, "ft", body="mass1")
    with pytest.raises(TypeError):
        sh.load_mesh(path)                                          # no default, no guessing


def test_load_mesh_missing_and_unsupported(tmp_path):
    with pytest.raises(sh.GeometryError, match=r"nothere\.stl: mesh: load: file not found"):
        sh.load_mesh(tmp_path / "nothere.stl", "m")
    with pytest.raises(sh.GeometryError, match=r"cube\.step: mesh: load: unsupported file type"):
        sh.load_mesh(tmp_path / "cube.step", "m")


def _bad_meshes():
    box = trimesh.creation.box(extents=(1.0, 1.0, 1.0))
    flat = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0.0]])
    return {
        # one square side (2 triangles) removed: its 4 edges are open
        "open": (trimesh.Trimesh(box.vertices, box.faces[2:], process=False),
                 r"watertight: the mesh is not watertight \(4 open edges\)"),
        "inverted": (trimesh.Trimesh(box.vertices, box.faces[:, ::-1], process=False),
                     r"inverted: the mesh is inverted: its normals point inwards \(volume -1 m\^3"
                     r"\)\. Flip the normals"),
        # a closed sheet: one triangle seen from both sides
        "flat": (trimesh.Trimesh(flat, [[0, 1, 2], [0, 2, 1]], process=False),
                 r"zero_volume: the mesh encloses zero volume"),
        "degenerate": (trimesh.Trimesh(box.vertices, np.vstack([box.faces, [[0, 1, 1]]]),
                                       process=False),
                       r"degenerate_faces: 1 degenerate \(zero-area\) faces, first at index 12"),
        "winding": (trimesh.Trimesh(box.vertices,
                                    np.vstack([box.faces[:1, ::-1], box.faces[1:]]),
                                    process=False),
                    r"winding: face winding is inconsistent"),
    }


@pytest.mark.parametrize("case", ["open", "inverted", "flat", "degenerate", "winding"])
def test_mesh_validation_errors_name_file_body_and_check(tmp_path, case):
    mesh, pattern = _bad_meshes()[case]
    path = _export(mesh, tmp_path / f"{case}.stl")
    with pytest.raises(sh.GeometryError, match=rf"{case}\.stl: bodies\.attractor\.mesh: {pattern}"
                       ) as info:
        sh.load_mesh(path, "m", body="attractor")
    assert info.value.path == str(path)
    assert info.value.body == "attractor"
    assert info.value.check in pattern
    # the same check, in memory, without a file
    with pytest.raises(sh.GeometryError, match=rf"<in-memory mesh>: mesh: {pattern}"):
        sh.MeshShape(mesh)


def test_mesh_shape_is_isolated_from_later_edits():
    mesh = trimesh.creation.box()
    shape = sh.MeshShape(mesh)
    mesh.apply_scale(2.0)
    assert shape.volume_m3 == pytest.approx(1.0, rel=ROUNDOFF, abs=0)
