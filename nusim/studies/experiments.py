"""The sensitivities of table 4 of the founding paper and the published solar-EP limits, each
number with its publication (shared/reference/neutrino-sources-and-experiments.md, Part B).

δV/V_gravity is the founding paper's figure of merit (its table 4): the smallest fractional
deviation from the Newtonian potential each experiment excludes, at its typical separation ⟨r⟩.
Every number of :data:`TABLE_4` was checked against the table-4 text of arXiv:2209.07082 and
Part B of the reference document (2026-07): all eight δV/V and ⟨r⟩ agree with both.

``r_m`` is the separation used to draw an entry on figure 5 [m]: the paper's ⟨r⟩, or for a
range (Irvine 1985) its geometric mean, with ``r_range_m`` the range itself.
"""

import math
from dataclasses import dataclass
from types import MappingProxyType

from nusim.sources.solar import ASTRONOMICAL_UNIT


@dataclass(frozen=True)
class Sensitivity:
    """One row of table 4: δV/V_gravity [1] at separation ``r_text``, with its reference.

    ``r_m`` [m] the separation at which figure 5 draws it; ``r_range_m`` (min, max) [m] or None;
    ``paper_ref`` the reference number in the founding paper; ``derivation`` how the founding
    paper obtains the number (its §5.1) and what the publication reports.
    """

    name: str
    delta_v_over_v: float
    r_text: str
    reference: str
    r_m: float = math.nan
    r_range_m: tuple | None = None
    paper_ref: str = ""
    derivation: str = ""
    #: what the experiment measures, and so what nusim's realistic table divides
    #: (:mod:`nusim.studies.observables`): "differential_acceleration" (a composition dipole's
    #: torque read as a_A − a_B, over the attractor's acceleration |a_grav|), "torque" (the
    #: neutrino torque about the fibre over the Newtonian torque at the same configuration) or
    #: "energy" (U_ν/U_grav, the paper's δV/V itself)
    observable: str = "energy"
    observable_note: str = ""


_HOSKINS_1985 = ("J.K. Hoskins, R.D. Newman, R. Spero, J. Schultz, Experimental tests of the "
                 "gravitational inverse square law for mass separations from 2 cm to 105 cm, "
                 "PRD 32, 3084 (1985)")

TABLE_4 = MappingProxyType({
    "washington-2007": Sensitivity(
        "Washington 2007", 3.2e-16, "~6400 km",
        "S. Schlamminger, K.Y. Choi, T.A. Wagner, J.H. Gundlach, E.G. Adelberger, Test of the "
        "equivalence principle using a rotating torsion balance, PRL 100, 041101 (2008), "
        "arXiv:0712.0607",
        r_m=6.4e6, paper_ref="[48]",
        derivation="a_Be − a_Ti = (0.6 ± 3.1)e-15 m/s² (eq. 5.1), Earth attractor; "
                   "3.1e-15 / 9.8 m/s² = 3.2e-16",
        observable="differential_acceleration",
        observable_note=(
            "a_Be − a_Ti from the torque at the turntable frequency, over |a_grav| = g as "
            "table 4 divides (3.1e-15 / 9.8)")),
    "washington-1999": Sensitivity(
        "Washington 1999", 3.0e-9, "~0.3 m",
        "G.L. Smith, C.D. Hoyle, J.H. Gundlach, E.G. Adelberger, B.R. Heckel, H.E. Swanson, "
        "Short range tests of the equivalence principle, PRD 61, 022001 (2000), arXiv:2405.10982",
        r_m=0.3, paper_ref="[49]",
        derivation="a_Cu − a_Pb = (1.0 ± 2.8)e-15 m/s² (eq. 5.2), 3-ton ²³⁸U attractor giving "
                   "9.2e-7 m/s²; 2.8e-15 / 9.2e-7 = 3.0e-9",
        observable="differential_acceleration",
        observable_note=(
            "a_Cu − a_Pb from the torque at the attractor frequency, over the attractor's "
            "|a_grav| (published 9.2e-7 m/s²)")),
    "irvine-1985-near": Sensitivity(
        "Irvine 1985", 0.7e-4, "2–5 cm",
        _HOSKINS_1985,
        r_m=math.sqrt(0.02 * 0.05), r_range_m=(0.02, 0.05), paper_ref="[45]",
        derivation="experiment B (steel tube, 2–5 cm): ε = (1 ± 7)e-5; σ = 0.7e-4",
        observable="energy",
        observable_note=(
            "a null geometry (no Newtonian torque inside a long tube): the deviation is read "
            "against the tube's potential, the paper's δV/V")),
    "irvine-1985-far": Sensitivity(
        "Irvine 1985", 2.7e-4, "5–105 cm",
        _HOSKINS_1985,
        r_m=math.sqrt(0.05 * 1.05), r_range_m=(0.05, 1.05), paper_ref="[45]",
        derivation="experiment A (Cu bar, 5 and 105 cm): ε = (0.5 ± 2.7)e-4; σ = 2.7e-4",
        observable="torque",
        observable_note=(
            "the torque of the masses over their Newtonian torque")),
    "wuhan-2012": Sensitivity(
        "Wuhan 2012", 1e-3, "~2 mm",
        "S.-Q. Yang et al., Test of the gravitational inverse square law at millimeter ranges, "
        "PRL 108, 081101 (2012)",
        r_m=2e-3, paper_ref="[50]",
        derivation="as read by the founding paper from the published ISL test",
        observable="torque",
        observable_note=(
            "the torque between the plates over the Newtonian torque")),
    "wuhan-2020": Sensitivity(
        "Wuhan 2020", 3e-2, "~0.1 mm",
        "W.-H. Tan et al., Improvement for testing the gravitational inverse-square law at the "
        "submillimeter range, PRL 124, 051301 (2020)",
        r_m=1e-4, paper_ref="[47]",
        derivation="as read by the founding paper from the published ISL test",
        observable="torque",
        observable_note=(
            "the torque over the Newtonian torque at one attractor angle (the experiment fits"
            " the 8-fold harmonic)")),
    "washington-2020": Sensitivity(
        "Washington 2020", 1.0, "52 µm",
        "J.G. Lee, E.G. Adelberger, T.S. Cook, S.M. Fleischer, B.R. Heckel, New test of the "
        "gravitational 1/r² law at separations down to 52 µm, PRL 124, 101101 (2020), "
        "arXiv:2002.11761",
        r_m=52e-6, paper_ref="[46]",
        derivation="|α| = 1 excluded for λ ≥ 38.6 µm (95 % CL); the founding paper's ~1",
        observable="torque",
        observable_note=(
            "the torque over the Newtonian torque at one attractor angle (the experiment fits"
            " the 18- and 120-fold harmonics)")),
    "levitated-2021": Sensitivity(
        "Future levitated optomechanics", 1e4, "1 µm",
        "D.C. Moore, A.A. Geraci, Searching for new physics using optically levitated sensors, "
        "Quantum Sci. Technol. 6, 014008 (2021), arXiv:2008.13197",
        r_m=1e-6, paper_ref="[51]",
        derivation="projected reach at 1 µm quoted by the founding paper (not a measurement)",
        observable="torque",
        observable_note=(
            "the force along the drive (the file's torque about an axis 1 m away is that "
            "force × 1 m) over the Newtonian one")),
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
