"""The ``[apparatus_torque]`` study kind of the study-file schema: the Newtonian or Yukawa
energy, force and fibre torque of an apparatus file's bodies.
"""

from pydantic import Field, model_validator

from nusim.schema.common import Angles, ApparatusTable, Seed
from nusim.schema.core import Table, fail, number, one_of

# ---------------------------------------------------------------------------------------------
# [apparatus_torque]


class ApparatusTorque(ApparatusTable):
    """[apparatus_torque]: energy, force and fibre torque on the pendulum for each attractor
    angle (Newtonian or Yukawa), with replica errors."""

    apparatus: str = Field(description="apparatus file, relative to the study file")
    kernel: one_of(("gravity", "yukawa"), "kernel") = Field("gravity", description="pair "
                                                            "potential")
    alpha: number() = Field(1.0, description="Yukawa strength α relative to gravity [1]")
    lambda_m: number() = Field(0.01, description="Yukawa range λ [m] (> 0 for kernel = "
                               "\"yukawa\")")
    samples: number(int, ge=16, le=10**7, what="points per body") = Field(
        4096, description="points per body")
    replicas: number(int, ge=2, msg="need at least 2 for an error") = Field(
        8, description="independent replicas: the errors")
    method: one_of(("random", "sobol"), "method") = Field("sobol", description="sampling: "
                                                          "pseudo-random or scrambled Sobol")
    seed: Seed = Field(1, description="study seed")
    angles_deg: Angles | None = Field(None, description="attractor angles [deg] (default: the "
                                      "apparatus' attractor_motion.angles_deg)")

    @model_validator(mode="after")
    def _range(self):
        if self.kernel == "yukawa" and not self.lambda_m > 0:
            fail(f"must be a positive range [m], got {self.lambda_m!r}", "lambda_m")
        return self


class ApparatusTorqueFile(Table):
    apparatus_torque: ApparatusTorque

    def params(self):
        return self.apparatus_torque.model_dump()
