"""Deliberate errors in nusim.physics, nusim.sources, nusim.engine, nusim.studies and the CLI are
nusim's own (nusim/errors.py; nusim/sources/CONVENTIONS.md): each representative error path below
raises an ArgumentError, which is a NusimError and still a ValueError, so callers that catch
ValueError keep working. A scan of the source checks that no module in scope raises a plain
ValueError, TypeError or RuntimeError.

(The engine cases live here, not in a tests/engine/test_own_exceptions.py: the tests folders are
not packages, so two test files of one name would clash at collection.)"""

import ast
from pathlib import Path

import numpy as np
import pytest

from nusim import cli
from nusim.engine import Estimate, InteractionResult, Yukawa, interact, kernel_from_name, pair_sums
from nusim.engine import wake
from nusim.engine.pairsum import chunk_slices
from nusim.errors import ArgumentError, ArgumentTypeError, ConfigError, NumericsError, NusimError
from nusim.physics import (_checks, beam, composition_dipole, couplings, directional, isotropic,
                           smearing)
from nusim.reference_methods import spheres as reference_spheres
from nusim.sources import catalog, profiles, reactor, relic, sky, solar, supernova
from nusim.studies import harmonics, output, run

ROOT = Path(__file__).resolve().parents[2]
#: modules whose deliberate errors must be nusim's own (issue 11; geometry is tested in
#: tests/geometry)
SCOPE = [*sorted((ROOT / "nusim" / "sources").glob("*.py")),
         *sorted((ROOT / "nusim" / "physics").glob("*.py")),
         *sorted((ROOT / "nusim" / "reference_methods").glob("*.py")),
         *sorted((ROOT / "nusim" / "engine").glob("*.py")),
         *sorted((ROOT / "nusim" / "studies").glob("*.py")),
         ROOT / "nusim" / "cli.py"]
PLAIN = {"ValueError", "TypeError", "RuntimeError", "Exception"}
#: three points on a line: a triangle of zero area [m]
COLLINEAR_M = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [2.0, 0.0, 0.0]])

CASES = {
    "checks positive": (lambda: _checks.positive("r", -1.0, "f", unit="m"),
                        r"f: r must be positive \[m\]; got -1\.0"),
    "checks choice": (lambda: _checks.choice("kernel", "odd", ("a", "b"), "f"),
                      r"f: kernel='odd' is not one of 'a', 'b'"),
    "couplings symbol": (lambda: couplings.element_composition("cu"), r"did you mean 'Cu'"),
    "couplings fractions": (lambda: couplings.mixture_composition({"Cu": 0.5}),
                            r"mass_fractions sum to 0\.5, not 1"),
    "directional alpha": (lambda: directional.directional_integral(1.0, 4.0),
                          r"alpha must lie in \[0, π\]"),
    "directional method": (lambda: directional.directional_integral(1.0, 0.1, method="quadrature",
                                                                    kernel="retarded"),
                           r"method='quadrature' integrates eq\. \(4\.8\)"),
    "isotropic majorana": (lambda: isotropic.isotropic_potential(1.0, 1.0, 0.0, mu=0.5,
                                                                 nature="majorana"),
                           r"nature='majorana' needs mu=0"),
    "beam fit": (lambda: beam.fit_spectrum(np.arange(3.0), np.ones(3)),
                 r"fit_spectrum: energy must be increasing"),
    "smearing gaussian": (lambda: smearing.gaussian_smeared_potential(1.0, 0.0, 1.0, 1.0, 1.0),
                          r"energy_mean/energy_sigma = 1 <"),
    "composition dipole": (lambda: composition_dipole.composition_dipole("Cu", "Al", n_e=0.5),
                           r"give both n_e and attractor"),
    "reference spheres": (lambda: reference_spheres.coaxial_spheres_energy(1.0, 1.5, 1.0),
                          r"must exceed the diameter"),
    "reactor isotope": (lambda: reactor.huber_2011("U-999", 3.0), r"huber_2011: isotope='U-999'"),
    "reactor fuel preset": (lambda: reactor.fission_spectrum(3.0, fuel="thorium"),
                            r"fuel='thorium' is not one of"),
    "reactor schedule": (lambda: reactor.Reactor(2.9, schedule=5),
                         r"schedule must be None \(always on\)"),
    "reactor power": (lambda: reactor.Reactor(-1.0),
                      r"Reactor: thermal_power_GW must be non-negative \[GW\]"),
    "solar component": (lambda: solar.spectral_shape("pp-chain", 0.2), r"'pp-chain'"),
    "supernova distance": (lambda: supernova.Supernova(-1.0), r"distance_kpc"),
    "sky site": (lambda: sky.Site(47.0, 400.0), r"Site: longitude_deg must lie in \[-360, 360\]"),
    "relic profile": (lambda: relic.RelicBackground().angular_profile(),
                      r"RelicBackground\.angular_profile: .* isotropic"),
    "profile width": (lambda: profiles.Gaussian(sigma_rad=-1.0),
                      r"Gaussian: sigma_rad must be ≥ 0"),
    "catalog name": (lambda: catalog.build("pulsar", None), r"unknown source 'pulsar'"),
    "harmonics fit": (lambda: harmonics.fit(np.ones((3, 1)), np.ones(3)),
                      r"fit: a single curve needs its pointwise errors"),
    "cli vector": (lambda: cli._vector_option("1,2", "--source-position-m"),
                   r"--source-position-m '1,2': give three comma-separated numbers"),
    "estimate one replica": (lambda: Estimate.from_replicas("energy_J", [1.0], "J", 16, 1),
                             r"Estimate\.from_replicas: energy_J: need at least 2 replica values"),
    "interact samples": (lambda: interact([], [], "gravity", samples=0, seed=1),
                         r"interact: samples=0 must be a positive integer"),
    "interact replicas": (lambda: interact([], [], "gravity", samples=8, seed=1, replicas=1),
                          r"interact: replicas=1 must be an integer >= 2"),
    "kernel name": (lambda: kernel_from_name("gravitation"),
                    r"kernel='gravitation' is not known; choose one of"),
    "yukawa range": (lambda: Yukawa(1.0, 0.0), r"Yukawa: lambda_m=0\.0 must be > 0 \[m\]"),
    "pair sums shape": (lambda: pair_sums(np.zeros((2, 2)), np.ones(2), np.ones((1, 3)),
                                          np.ones(1), "gravity"),
                        r"pair_sums: src_pos must have shape \(n, 3\) \[m\]"),
    "chunk pairs": (lambda: chunk_slices(4, 4, chunk_pairs=0), r"chunk_pairs=0 must be >= 1"),
    "mesh zero area": (lambda: wake.mesh_arrays(COLLINEAR_M, np.array([[0, 1, 2]]),
                                                wake.transverse_base([0.0, 0.0, 1.0])),
                       r"mesh_arrays: the mesh has zero-area triangles"),
    "torque without axis": (lambda: InteractionResult.from_replicas(
                                [1.0, 2.0], np.zeros((2, 3)), None, n_samples=16, seed=1,
                            ).estimate("torque_Nm"),
                            r"torque_Nm: no axis was given to interact\(\)"),
}


@pytest.mark.parametrize("case", CASES)
def test_errors_are_nusim_errors_and_still_value_errors(case):
    call, match = CASES[case]
    with pytest.raises(ArgumentError, match=match) as info:
        call()
    assert isinstance(info.value, NusimError)
    assert isinstance(info.value, ValueError)              # old `except ValueError` still works


def _plain_raises(path):
    """(line, class name) of each ``raise X(...)`` or ``raise X`` of a built-in class."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id in PLAIN:
                found.append((node.lineno, exc.id))
    return found


def test_no_plain_builtin_raises_in_scope():
    assert len(SCOPE) > 20                                  # the scan sees the modules
    bad = {str(p.relative_to(ROOT)): hits for p in SCOPE if (hits := _plain_raises(p))}
    assert bad == {}


def test_unknown_profile_is_a_nusim_error_and_still_a_type_error():
    with pytest.raises(ArgumentTypeError, match=r"mean_square_angle: unknown profile") as info:
        profiles.mean_square_angle(object())
    assert isinstance(info.value, NusimError)
    assert isinstance(info.value, TypeError)


def test_kernel_of_wrong_type_is_a_nusim_error_and_still_a_type_error():
    with pytest.raises(ArgumentTypeError, match=r"is neither a kernel name nor a kernel object"):
        kernel_from_name(3.5)


def test_coincident_points_are_a_numerics_error():
    with pytest.raises(NumericsError, match=r"the kernel is singular at r = 0") as info:
        pair_sums(np.zeros((1, 3)), np.ones(1), np.zeros((1, 3)), np.ones(1), "gravity")
    assert isinstance(info.value, NusimError)


def test_bad_study_kind_is_a_config_error(tmp_path):
    study = tmp_path / "bad.toml"
    study.write_text('[study]\nname = "t"\nkind = "nope"\n')
    with pytest.raises(ConfigError, match=r"study\.kind: unknown study kind 'nope'") as info:
        run.load_study(study)
    assert isinstance(info.value, NusimError)
    assert info.value.field == "study.kind"


def test_write_csv_mismatch_is_a_nusim_error(tmp_path):
    with pytest.raises(ArgumentError, match=r"columns of different lengths \[1, 2\]") as info:
        output.write_csv(tmp_path / "x.csv", ["a", "b"], [[1.0], [1.0, 2.0]])
    assert isinstance(info.value, NusimError)
