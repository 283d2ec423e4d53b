"""Spectrum fits against their tabulated spectra: Φ, ⟨1/E⟩ and the wake kernel a(w)
(nusim.physics.beam.fit_spectrum, TabulatedSpectrum, spectrum_fit_report)."""

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.special

from nusim.physics import beam, wake_kernel


def _gamma_table():
    e = np.linspace(0.0, 2e7, 4001)                     # eV
    y = e**2 * np.exp(-e / 2e6)
    return e, y / np.trapezoid(y, e)


def test_reference_kernel_matches_brute_force_quadrature():
    # The closed-form per-segment a(w) of the piecewise-linear table against adaptive
    # quadrature of the same interpolant, at w across the kernel (E w from 0.05 to 50).
    e, y = _gamma_table()
    ref = beam.TabulatedSpectrum(e, y, ((3e6, 0.2),))
    phi = ref.total_flux
    for w in (2.5e-8, 3e-7, 2e-6, 2.5e-5):
        quad, _ = scipy.integrate.quad(
            lambda x: np.interp(x, e, y) * (0.5 * math.pi - scipy.special.sici(x * w)[0]),
            0, 2e7, limit=2000)
        quad += 0.2 * (0.5 * math.pi - scipy.special.sici(3e6 * w)[0])
        assert ref.kernel_a(w)[0] == pytest.approx(quad / phi, abs=1e-7)
    assert ref.kernel_a(0.0)[0] == 0.5 * math.pi
    inv = np.trapezoid(np.interp(e[1:], e, y) / e[1:], e[1:]) + 0.2 / 3e6
    assert ref.mean_inverse_energy == pytest.approx(inv / phi, rel=1e-4)


def test_constrained_fit_reproduces_flux_and_inverse_energy():
    e, y = _gamma_table()
    ref = beam.TabulatedSpectrum(e, y)
    free = beam.fit_spectrum(e, y, n_components=48)
    tied = beam.fit_spectrum(e, y, n_components=48, constrain_moments=True)
    assert tied.total_flux == pytest.approx(ref.total_flux, rel=1e-12)
    # the constraint rows hold ⟨1/E⟩ to ~1e-7 (their weight is 1e3 × the data's norm)
    assert tied.mean_inverse_energy == pytest.approx(ref.mean_inverse_energy, rel=1e-6)
    assert abs(tied.fit_report["mean_inverse_energy_rel_error"]) <= abs(
        free.fit_report["mean_inverse_energy_rel_error"]) + 1e-9
    assert tied.fit_report["kernel_max_error"] < 2e-2


def test_kernel_table_and_gauss_hermite_agree():
    # spectrum_fit_report with the wake estimator's table and with the direct Gauss–Hermite
    # a(w): they differ by ~1e-5 at large w (the table's treatment of the components' tails
    # below E = 0, whose π/2 + Si weight the Gauss–Hermite rule sees differently)
    e, y = _gamma_table()
    spec = beam.fit_spectrum(e, y, n_components=24, report=False)
    ref = beam.TabulatedSpectrum(e, y)
    w = ref.w_grid(120)
    table = wake_kernel.surface_kernel_table(spec)
    assert np.max(np.abs(wake_kernel.a_function(w, table) - beam.gaussian_kernel_a(w, spec))) \
        < 3e-5
    rep = beam.spectrum_fit_report(spec, ref, w)
    assert rep["kernel_max_error"] < 2e-2


def test_linear_spacing_and_bad_arguments():
    e, y = _gamma_table()
    spec = beam.fit_spectrum(e, y, n_components=48, spacing="linear")
    assert spec.fit_report["kernel_max_error"] < 5e-3
    with pytest.raises(ValueError, match="spacing='cubic' is not one of 'log', 'linear'"):
        beam.fit_spectrum(e, y, spacing="cubic")
    with pytest.raises(ValueError, match="non-zero at E = 0"):
        beam.fit_spectrum(e, y + 1.0, constrain_moments=True)


def test_fit_report_is_not_part_of_the_hash():
    # kernel tables are cached per spectrum: the report must not change equality or the hash
    e, y = _gamma_table()
    a = beam.fit_spectrum(e, y, n_components=8)
    b = beam.fit_spectrum(e, y, n_components=8, report=False)
    assert a == b and hash(a) == hash(b) and b.fit_report is None
