"""The ``[paper_figures]`` study kind of the study-file schema: the inputs of figures 3, 4 and 5
of the founding paper and of its material table (every key optional).
"""

from pydantic import Field, model_validator

from nusim.schema.core import Table, fail, number, numbers

# ---------------------------------------------------------------------------------------------
# [paper_figures]

Positive = number(gt=0, msg="must be a positive number")


def _positive_list(what):
    return numbers(float, f"positive numbers ({what})", gt=0)


Alphas = numbers(float, "angles in degrees within [0, 180]", ge=0, le=180,
                 msg="expected a non-empty list of angles in degrees within [0, 180]", keep=True)


class PaperFigures(Table):
    """[paper_figures]: figures 3, 4 and 5 of the founding paper and its material table (every
    key optional; the defaults are the paper's inputs, §5.2)."""

    fig3_alphas_deg: Alphas = Field([0.0, 30.0, 60.0, 90.0], description="figure 3: angles α "
                                    "[deg]")
    fig3_ell_min: number() = Field(0.5, description="figure 3: smallest ℓ = E r [1]")
    fig3_ell_max: number() = Field(20.0, description="figure 3: largest ℓ [1]")
    fig4_alphas_deg: Alphas = Field([30.0, 45.0, 60.0, 90.0], description="figure 4: angles α "
                                    "[deg]")
    fig4_ell_max: number(ge=1, le=2000, what="(the quadrature of eq. 4.8 costs ∝ ℓ²)") = Field(
        60.0, description="figure 4: largest ℓ [1]")
    fig4_quadrature_points: number(int, ge=2) = Field(60, description="figure 4: points of the "
                                                      "eq. 4.8 quadrature")
    fig5_reactor_flux_at_10m_per_cm2_s: Positive = Field(5e13, description="reactor flux at "
                                                         "10 m [cm⁻² s⁻¹]")
    fig5_reactor_energy_MeV: Positive = Field(2.0, description="reactor energy [MeV]")
    fig5_reactor_distances_m: _positive_list("reactor distances [m]") = Field(
        [1.0, 10.0], description="reactor distances [m] (flux scaled as 1/d²)")
    fig5_reactor_r_max_over_distance: Positive = Field(0.5, description="reactor lines stop at "
                                                       "r = this × d [1]")
    fig5_pp_flux_per_cm2_s: Positive = Field(5.99e10, description="solar pp flux [cm⁻² s⁻¹]")
    fig5_pp_energy_MeV: Positive = Field(0.3, description="solar pp energy [MeV]")
    fig5_be7_flux_per_cm2_s: Positive = Field(4.84e9, description="solar ⁷Be flux [cm⁻² s⁻¹]")
    fig5_be7_energies_MeV: _positive_list("⁷Be line energies [MeV]") = Field(
        [0.862, 0.384], description="⁷Be line energies [MeV]")
    fig5_be7_branching: _positive_list("⁷Be branching fractions [1]") = Field(
        [0.896, 0.104], description="⁷Be branching fractions [1], one per line, summing to 1")
    fig5_supernova_flux_per_cm2_s: Positive = Field(1e12, description="supernova flux "
                                                    "[cm⁻² s⁻¹]")
    fig5_supernova_energy_MeV: Positive = Field(10.0, description="supernova energy [MeV]")
    fig5_delta_z_over_a: _positive_list("δ_{Z/A} values [1]") = Field(
        [0.1, 0.01], description="δ_{Z/A} of the eq. 5.4 lines [1]")
    fig5_coupling_factor: Positive = Field(1.0, description="c of δV/V = c G_F² Φ E/(π G_N "
                                           "m_p²) [1]")
    fig5_r_min_m: Positive = Field(1e-7, description="smallest separation drawn [m]")
    fig5_r_max_m: Positive = Field(1e8, description="largest separation drawn [m]")
    material_n_e: number(ge=0, le=1, msg="the ν_e fraction must lie in [0, 1] (0.55: solar pp "
                         "at the Earth)") = Field(0.55, description="ν_e fraction of the mixed "
                                                  "beam of the material table [1]")
    material_attractor: str = Field("U", description="attractor element of the material table "
                                    "(a chemical symbol)")

    @model_validator(mode="after")
    def _cross(self):
        if not 0 < self.fig3_ell_min < self.fig3_ell_max:
            fail("need 0 < fig3_ell_min < fig3_ell_max", "fig3_ell_min")
        n, b = len(self.fig5_be7_energies_MeV), self.fig5_be7_branching
        if n != len(b):
            fail(f"give one branching fraction per ⁷Be line ({n} energies, {len(b)} "
                 "fractions)", "fig5_be7_branching")
        if abs(sum(b) - 1.0) > 1e-3:
            fail(f"the fractions must sum to 1 (got {sum(b):.6g}); e.g. [0.896, 0.104]",
                 "fig5_be7_branching")
        if not self.fig5_r_min_m < self.fig5_r_max_m:
            fail("need fig5_r_min_m < fig5_r_max_m", "fig5_r_min_m")
        from nusim.physics import couplings

        try:
            couplings.element_data(self.material_attractor)
        except ValueError:
            fail(f"{self.material_attractor!r} is not a chemical element symbol. Give a "
                 "chemical symbol, e.g. \"U\" (the Washington 1999 attractor)",
                 "material_attractor")
        return self


class PaperFiguresFile(Table):
    paper_figures: PaperFigures = Field(default_factory=PaperFigures)

    def params(self):
        return self.paper_figures.model_dump()
