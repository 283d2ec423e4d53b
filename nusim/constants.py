"""Physical constants as frozen records (value, unit, standard uncertainty, source).

Sources, named once here and nowhere else:

* CODATA 2018: E. Tiesinga et al., Rev. Mod. Phys. 93, 025010 (2021), doi:10.1103/RevModPhys.93.025010.
  Constants fixed by the 2019 SI (c, h, e, k_B) are exact; ħ, ħc and k_B in eV are exact ratios
  truncated to the digits CODATA prints, so their uncertainty is recorded as zero.
* PDG 2024: S. Navas et al. (Particle Data Group), Phys. Rev. D 110, 030001 (2024),
  doi:10.1103/PhysRevD.110.030001, section 10 "Electroweak model and constraints on new physics".

Nothing else in nusim writes a physical constant inline; ``units.py`` derives the natural-unit values.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Constant:
    """One physical constant: value in ``unit``, one-sigma ``uncertainty`` in the same unit."""

    name: str
    symbol: str
    value: float
    unit: str
    uncertainty: float
    source: str
    exact: bool = False


SPEED_OF_LIGHT = Constant("speed of light in vacuum", "c", 299792458.0, "m s^-1", 0.0,
                          "CODATA 2018 (exact, SI 2019)", exact=True)
ELEMENTARY_CHARGE = Constant("elementary charge", "e", 1.602176634e-19, "C", 0.0,
                             "CODATA 2018 (exact, SI 2019)", exact=True)
HBAR_EV_S = Constant("reduced Planck constant", "ħ", 6.582119569e-16, "eV s", 0.0,
                     "CODATA 2018 (exact, SI 2019; truncated)", exact=True)
HBAR_C_MEV_FM = Constant("reduced Planck constant times c", "ħc", 197.3269804, "MeV fm", 0.0,
                         "CODATA 2018 (exact, SI 2019; truncated)", exact=True)
BOLTZMANN_EV_K = Constant("Boltzmann constant", "k_B", 8.617333262e-5, "eV K^-1", 0.0,
                          "CODATA 2018 (exact, SI 2019; truncated)", exact=True)
FERMI_COUPLING_GEV = Constant("Fermi coupling constant", "G_F/(ħc)^3", 1.1663787e-5, "GeV^-2",
                              0.0000006e-5, "CODATA 2018")
NEWTON_G = Constant("Newtonian constant of gravitation", "G_N", 6.67430e-11, "m^3 kg^-1 s^-2",
                    0.00015e-11, "CODATA 2018")
PROTON_MASS_MEV = Constant("proton mass energy equivalent", "m_p c^2", 938.27208816, "MeV",
                           0.00000029, "CODATA 2018")
NEUTRON_MASS_MEV = Constant("neutron mass energy equivalent", "m_n c^2", 939.56542052, "MeV",
                            0.00000054, "CODATA 2018")
ELECTRON_MASS_MEV = Constant("electron mass energy equivalent", "m_e c^2", 0.51099895000, "MeV",
                             0.00000000015, "CODATA 2018")
ATOMIC_MASS_UNIT_MEV = Constant("atomic mass constant energy equivalent", "m_u c^2",
                                931.49410242, "MeV", 0.00000028, "CODATA 2018")
SIN2_THETA_W = Constant("weak mixing angle, MS-bar at M_Z", "sin^2 θ_W", 0.23129, "1", 0.00004,
                        "PDG 2024, sec. 10 (MS-bar scheme at the Z pole)")

ALL = (SPEED_OF_LIGHT, ELEMENTARY_CHARGE, HBAR_EV_S, HBAR_C_MEV_FM, BOLTZMANN_EV_K,
       FERMI_COUPLING_GEV, NEWTON_G, PROTON_MASS_MEV, NEUTRON_MASS_MEV, ELECTRON_MASS_MEV,
       ATOMIC_MASS_UNIT_MEV, SIN2_THETA_W)
