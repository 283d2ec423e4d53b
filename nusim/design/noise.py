"""The torsion fibre's thermal torque noise and the signal-to-noise ratio of a modulated torque.

Structural (internal) damping of the fibre: the loss angle φ = 1/Q is independent of
frequency, and the fluctuation–dissipation theorem gives the one-sided torque noise power
spectral density

    S_τ(ω) = 4 k_B T κ / (ω Q)        [N² m² Hz⁻¹]                                      (1)

(P.R. Saulson, "Thermal noise in mechanical experiments", Phys. Rev. D 42, 2437 (1990):
structural damping, with the spring constant k → κ for the torsional mode), with
κ = I ω₀² the fibre's torsion constant from the pendulum's moment of inertia I about the fibre and
its free period T₀ = 2π/ω₀ (the fibre is chosen for that period: a heavier pendulum needs a
stiffer fibre, so κ ∝ I at fixed T₀).

A torque of amplitude A at the modulation frequency ω_s, measured by demodulation over a time t,
has the amplitude error (one quadrature, white noise over the band 1/t around ω_s)

    σ_A = √(S_τ(ω_s) / t)            [N m]                                              (2)

(the estimate a = (2/t)∫ τ(t') cos ω_s t' dt' of white noise of two-sided density S_τ/2 has the
variance (4/t²)(S_τ/2)(t/2) = S_τ/t), so S/N = A √(t / S_τ(ω_s)).

Readout (autocollimator) noise, tilt–twist coupling, temperature gradients and the
gravity-gradient background are not modelled: (1) is the floor a perfect balance reaches,
so the S/N here is an upper limit on what an experiment would see.
"""

import math
from dataclasses import asdict, dataclass

from nusim.constants import BOLTZMANN_EV_K, ELEMENTARY_CHARGE
from nusim.errors import ArgumentError

#: k_B [J K⁻¹] from the constants record (eV K⁻¹ × J/eV; both exact in the 2019 SI)
K_B_J_PER_K = BOLTZMANN_EV_K.value * ELEMENTARY_CHARGE.value


@dataclass(frozen=True)
class NoiseModel:
    """The noise model's inputs (SI). Defaults are *assumed* typical values, each stated in
    docs/design-search.md; every one is settable in the study file's ``[design_search.noise]``.

    temperature_K : fibre temperature [K] (295: a room-temperature laboratory)
    quality_factor : Q of the torsional mode [1] (5000: assumed, tungsten-fibre class)
    free_period_s : T₀ of the torsion pendulum [s] (600: assumed, Eöt-Wash-class balances run
        at several hundred seconds)
    modulation_period_s : period of the attractor's in/out square wave [s] (1200: assumed,
        2 T₀, below resonance where the twist response to torque is flat)
    integration_time_s : total measuring time t [s] (1e6 ≈ 11.6 days: assumed)
    """

    temperature_K: float = 295.0
    quality_factor: float = 5000.0
    free_period_s: float = 600.0
    modulation_period_s: float = 1200.0
    integration_time_s: float = 1.0e6

    def __post_init__(self):
        for name, value in asdict(self).items():
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or value <= 0):
                raise ArgumentError(f"NoiseModel: {name}={value!r} must be a positive number")

    def to_dict(self):
        return asdict(self)


def torsion_constant_Nm_per_rad(moment_of_inertia_kg_m2, free_period_s):  # noqa: N802
    """κ = I (2π/T₀)² [N m rad⁻¹] (harmonic oscillator)."""
    return moment_of_inertia_kg_m2 * (2 * math.pi / free_period_s) ** 2


def torque_noise_psd(moment_of_inertia_kg_m2, model):
    """One-sided thermal torque noise S_τ(ω_s) [N² m² Hz⁻¹] at the modulation frequency, eq. (1)."""
    kappa = torsion_constant_Nm_per_rad(moment_of_inertia_kg_m2, model.free_period_s)
    omega = 2 * math.pi / model.modulation_period_s
    return 4 * K_B_J_PER_K * model.temperature_K * kappa / (omega * model.quality_factor)


def amplitude_noise_Nm(moment_of_inertia_kg_m2, model):  # noqa: N802
    """σ_A = √(S_τ(ω_s)/t) [N m], eq. (2): the 1σ error of a demodulated torque amplitude."""
    return math.sqrt(torque_noise_psd(moment_of_inertia_kg_m2, model)
                     / model.integration_time_s)


def square_wave_fundamental(delta_torque_Nm):  # noqa: N803
    """Amplitude of the fundamental of a square wave switching between τ_in and τ_out [N m]:
    (4/π)·|τ_in − τ_out|/2 = (2/π)|Δτ| (Fourier series of a square wave)."""
    return 2.0 / math.pi * abs(delta_torque_Nm)
