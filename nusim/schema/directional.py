"""The directional study kinds of the study-file schema: ``[directional_suppression]`` (two
spheres against the Fresnel number) and ``[directional_convergence]`` (the error of the retarded
energy against samples); every key optional.
"""

import math

from pydantic import Field, model_validator

from nusim.schema.common import engine_estimators, material_names
from nusim.schema.core import Table, fail, number, numbers, one_of

# ---------------------------------------------------------------------------------------------
# [directional_suppression], [directional_convergence]

#: largest Fresnel number accepted (E ≈ 2e9 eV for a = 1 cm, D = 10 cm at 1e13)
MAX_FRESNEL = 1e15


def _material(noun="material"):
    return one_of(material_names, noun, sort=True)


class DirectionalSuppression(Table):
    """[directional_suppression]: U/U_(α=0) of two coaxial spheres against the Fresnel number,
    wake estimator against references (every key optional)."""

    fresnel_numbers: numbers(float, "positive Fresnel numbers E a²/D", sort=True, ge=1e-300,
                             le=MAX_FRESNEL) = Field(
        [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6, 1e8, 1e10, 1e12],
        description="Fresnel numbers N_F = E a²/D [1] (sorted)")
    radius_m: number(gt=0, msg="must be a positive radius [m]") = Field(
        0.01, description="sphere radius a [m]")
    distance_m: number() = Field(0.1, description="centre distance D [m] (> 2a)")
    mismatch_ratio: number(gt=0, lt=1, what="(b/a; b = a has a divergent near-field limit)") \
        = Field(0.7, description="b/a of the mismatched pair [1]")
    material: _material() = Field("copper", description="material preset of the spheres")
    flux_per_cm2_s: number(gt=0, msg="must be a positive flux [cm⁻² s⁻¹]") = Field(
        5e13, description="beam flux [cm⁻² s⁻¹]")
    samples: number(int, ge=100, le=10**8, what="surface samples per replica") = Field(
        300_000, description="surface samples per replica")
    pairs_samples: number(int, ge=16, le=100_000, what="points per body (brute-force pairs "
                          "cost its square)") = Field(2000, description="points per body of "
                                                      "the brute-force pairs")
    replicas: number(int, ge=2, msg="need at least 2 for an error") = Field(
        8, description="independent replicas: the errors")
    seed: number(int, ge=0) = Field(1, description="study seed")
    estimator: one_of(engine_estimators, "estimator") = Field(
        "auto", description="directional estimator (nusim.engine.directional)")
    reference_max_fresnel: number(ge=0, le=300, what="(0: no reference quadrature; it costs "
                                  "∝ N_F², ~0.5 s at 30)") = Field(
        30.0, description="largest N_F of the reference quadrature [1]")
    reference_points: number(int, ge=2, msg="need at least 2 points for the reference curve") \
        = Field(40, description="points of the reference curve")

    @model_validator(mode="after")
    def _overlap(self):
        if not self.distance_m > 2 * self.radius_m:
            fail(f"the centre distance {self.distance_m!r} m must exceed the diameter "
                 f"{2 * self.radius_m!r} m (the spheres may not overlap)", "distance_m")
        return self


class DirectionalSuppressionFile(Table):
    directional_suppression: DirectionalSuppression = Field(
        default_factory=DirectionalSuppression)

    def params(self):
        return self.directional_suppression.model_dump()


PositiveC = number(gt=0, msg="must be positive")


class DirectionalConvergence(Table):
    """[directional_convergence]: relative error of the retarded energy against samples and
    wall time, a tungsten attractor and a copper pendulum in a reactor beam (every key
    optional)."""

    samples: numbers(int, "integer surface samples per replica", sort=True, ge=10,
                     le=10**8) = Field([1000, 3000, 10_000, 30_000, 100_000, 300_000,
                                        1_000_000, 3_000_000],
                                       description="sample counts scanned (sorted)")
    replicas: number(int, ge=2, msg="need at least 2 for an error") = Field(
        8, description="independent replicas: the errors")
    seed: number(int, ge=0) = Field(1, description="study seed")
    thermal_power_GW: PositiveC = Field(2.9, description="reactor thermal power [GW]")
    antineutrinos_per_fission: PositiveC = Field(7.1, description="ν̄ per fission [1]")
    reactor_distance_m: PositiveC = Field(10.0, description="reactor from the apparatus "
                                          "midpoint [m]")
    reactor_depth_m: number() = Field(1.0, description="reactor below the bodies' plane [m], "
                                      "in [0, reactor_distance_m)")
    core_radius_m: PositiveC = Field(1.5, description="finite core radius [m]")
    core_height_m: PositiveC = Field(3.0, description="finite core height [m]")
    separation_m: PositiveC = Field(0.1, description="attractor–pendulum separation [m]")
    body_radius_m: PositiveC = Field(0.005, description="cylinder radius of both bodies [m]")
    body_height_m: PositiveC = Field(0.01, description="cylinder height of both bodies [m]")
    attractor_material: _material() = Field("tungsten", description="attractor material preset")
    pendulum_material: _material() = Field("copper", description="pendulum material preset")
    spectrum_components: number(int, ge=2, le=200, what="Gaussian components of the spectrum "
                                "fit") = Field(48, description="Gaussian components of the "
                                               "reactor spectrum fit")

    @model_validator(mode="after")
    def _geometry(self):
        if not 0 <= self.reactor_depth_m < self.reactor_distance_m:
            fail(f"must lie in [0, reactor_distance_m), got {self.reactor_depth_m!r}",
                 "reactor_depth_m")
        if not self.separation_m > 2 * self.body_radius_m:
            fail(f"the bodies overlap: separation {self.separation_m!r} m ≤ 2 × body_radius_m",
                 "separation_m")
        reach = self.separation_m + math.hypot(self.core_radius_m, self.core_height_m / 2)
        if not self.reactor_distance_m > reach:
            fail("the core would reach the apparatus; move the reactor further away",
                 "reactor_distance_m")
        return self


class DirectionalConvergenceFile(Table):
    directional_convergence: DirectionalConvergence = Field(
        default_factory=DirectionalConvergence)

    def params(self):
        return self.directional_convergence.model_dump()
