"""The one conversion module: SI and MeV at the user-facing boundary <-> powers of eV inside.

Natural units: ħ = c = k_B = 1, every quantity a power of eV (length and time [eV⁻¹], energy and
mass [eV], flux [eV³], force [eV²], power [eV²], G_F and G_N [eV⁻²]). All values derive from the
records of ``nusim.constants``.
"""

from nusim import constants as _c

#: ħc [eV m]
HBARC_EV_M = _c.HBAR_C_MEV_FM.value * 1e6 * 1e-15
#: ħc [eV cm]
HBARC_EV_CM = HBARC_EV_M * 1e2
#: ħ [eV s]
HBAR_EV_S = _c.HBAR_EV_S.value
#: J per eV
JOULE_PER_EV = _c.ELEMENTARY_CHARGE.value
#: c [m s⁻¹]
C_M_S = _c.SPEED_OF_LIGHT.value

#: G_F [eV⁻²]
G_F = _c.FERMI_COUPLING_GEV.value * 1e-18
#: G_N [eV⁻²]: G/(ħc) × (eV/c²)² with ħc in J m and eV/c² in kg
G_N = _c.NEWTON_G.value / (HBARC_EV_M * JOULE_PER_EV) * (JOULE_PER_EV / C_M_S**2) ** 2
#: proton, neutron, electron masses and the atomic mass constant [eV]
M_P = _c.PROTON_MASS_MEV.value * 1e6
M_N = _c.NEUTRON_MASS_MEV.value * 1e6
M_E = _c.ELECTRON_MASS_MEV.value * 1e6
M_U = _c.ATOMIC_MASS_UNIT_MEV.value * 1e6


def m_to_inv_eV(length_m):
    """Length [m] -> [eV⁻¹]."""
    return length_m / HBARC_EV_M


def inv_eV_to_m(length_inv_eV):
    """Length [eV⁻¹] -> [m]."""
    return length_inv_eV * HBARC_EV_M


def MeV_to_eV(energy_MeV):
    """Energy [MeV] -> [eV]."""
    return energy_MeV * 1e6


def eV_to_J(energy_eV):
    """Energy [eV] -> [J]."""
    return energy_eV * JOULE_PER_EV


def J_to_eV(energy_J):
    """Energy [J] -> [eV]."""
    return energy_J / JOULE_PER_EV


def kelvin_to_eV(temperature_K):
    """Temperature [K] -> k_B T [eV]."""
    return temperature_K * _c.BOLTZMANN_EV_K.value


def kg_to_eV(mass_kg):
    """Mass [kg] -> m c² [eV]."""
    return mass_kg * C_M_S**2 / JOULE_PER_EV


def flux_per_cm2_s_to_eV3(flux_per_cm2_s):
    """Number flux [cm⁻² s⁻¹] -> [eV³] (times (ħc)² ħ)."""
    return flux_per_cm2_s * HBARC_EV_CM**2 * HBAR_EV_S


def eV3_to_flux_per_cm2_s(flux_eV3):
    """Number flux [eV³] -> [cm⁻² s⁻¹]."""
    return flux_eV3 / (HBARC_EV_CM**2 * HBAR_EV_S)


def W_to_eV2(power_W):
    """Power [W] -> [eV²] (energy per time, times ħ)."""
    return power_W / JOULE_PER_EV * HBAR_EV_S


def eV2_to_N(force_eV2):
    """Force [eV²] -> [N]."""
    return force_eV2 * JOULE_PER_EV / HBARC_EV_M
