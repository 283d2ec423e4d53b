"""The sensitivities of table 4 of the founding paper and the published solar-EP limits, each
number with its publication (shared/reference/neutrino-sources-and-experiments.md, Part B).

δV/V_gravity is the founding paper's figure of merit (its table 4): the smallest fractional
deviation from the Newtonian potential each experiment excludes, at its typical separation ⟨r⟩.
"""

import math
from dataclasses import dataclass
from types import MappingProxyType

from nusim.sources.solar import ASTRONOMICAL_UNIT


@dataclass(frozen=True)
class Sensitivity:
    """One row of table 4: δV/V_gravity [1] at separation ``r_text``, with its reference."""

    name: str
    delta_v_over_v: float
    r_text: str
    reference: str


TABLE_4 = MappingProxyType({
    "washington-2007": Sensitivity("Washington 2007", 3.2e-16, "~6400 km",
                                   "S. Schlamminger et al., PRL 100, 041101 (2008), "
                                   "arXiv:0712.0607"),
    "washington-1999": Sensitivity("Washington 1999", 3.0e-9, "~0.3 m",
                                   "G.L. Smith et al., PRD 61, 022001 (2000), arXiv:2405.10982"),
    "irvine-1985-near": Sensitivity("Irvine 1985", 0.7e-4, "2–5 cm",
                                    "J.K. Hoskins et al., PRD 32, 3084 (1985)"),
    "irvine-1985-far": Sensitivity("Irvine 1985", 2.7e-4, "5–105 cm",
                                   "J.K. Hoskins et al., PRD 32, 3084 (1985)"),
    "wuhan-2012": Sensitivity("Wuhan 2012", 1e-3, "~2 mm",
                              "S.-Q. Yang et al., PRL 108, 081101 (2012)"),
    "wuhan-2020": Sensitivity("Wuhan 2020", 3e-2, "~0.1 mm",
                              "W.-H. Tan et al., PRL 124, 051301 (2020)"),
    "washington-2020": Sensitivity("Washington 2020", 1.0, "52 µm",
                                   "J.G. Lee et al., PRL 124, 101101 (2020), arXiv:2002.11761"),
    "levitated-2021": Sensitivity("Future levitated optomechanics", 1e4, "1 µm",
                                  "D.C. Moore, A.A. Geraci, QST 6, 014008 (2021), "
                                  "arXiv:2008.13197"),
})

#: G M_⊙ [m³ s⁻²] (IAU 2015 Resolution B3, nominal solar mass parameter, exact by definition)
GM_SUN_M3_S2 = 1.3271244e20
#: the Sun's gravitational acceleration at 1 au [m s⁻²]
SUN_GRAVITY_AT_1AU_M_S2 = GM_SUN_M3_S2 / ASTRONOMICAL_UNIT.value**2


@dataclass(frozen=True)
class AccelerationLimit:
    """A published limit on a differential acceleration [m s⁻²] (95 % CL unless said)."""

    name: str
    limit_m_s2: float
    what: str
    reference: str


SOLAR_EP_LIMITS = MappingProxyType({
    "fixed-direction-2008": AccelerationLimit(
        "any space-fixed direction (Be−Ti)", 8.8e-15,
        "differential acceleration toward any fixed direction in space, 95 % CL",
        "S. Schlamminger et al., PRL 100, 041101 (2008), arXiv:0712.0607 (abstract)"),
    "sun-direction-2026": AccelerationLimit(
        "toward the Sun (Eöt-Wash 2026)", 2.1e-13 * SUN_GRAVITY_AT_1AU_M_S2,
        f"η_⊙ ≤ 2.1e-13 × g_⊙ = {SUN_GRAVITY_AT_1AU_M_S2:.4g} m s⁻² at 1 au "
        f"= {2.1e-13 * SUN_GRAVITY_AT_1AU_M_S2:.3g} m s⁻²",
        "Eöt-Wash group, arXiv:2602.02815 (2026)"),
})


def orders_of_magnitude(value, sensitivity):
    """log10(sensitivity / |value|): how many orders of magnitude a predicted δ lies below a
    sensitivity (negative: above it, i.e. detectable)."""
    if value == 0:
        return math.inf
    return math.log10(sensitivity / abs(value))
