"""What several study kinds of the study-file schema share: the allowed values that other
modules own (looked up when a file is validated, so that the schema imports no heavy module),
the sample, replica and seed keys, and the table with an ``apparatus`` file.
"""

from pydantic import ValidationInfo, field_validator

from nusim.schema.core import Table, number, numbers, relative_file

# ---------------------------------------------------------------------------------------------
# allowed values: the modules that own them, imported when a file is validated


def table_4_entries():
    from nusim.studies.experiments import TABLE_4

    return tuple(TABLE_4)


def material_names():
    from nusim.geometry.materials import MATERIALS

    return tuple(MATERIALS)


def engine_estimators():
    from nusim.engine.directional import ESTIMATORS

    return ESTIMATORS


# ---------------------------------------------------------------------------------------------
# keys several kinds share

Samples = number(int, ge=100, le=10**8, what="samples per replica per term (2e4: a quick look; "
                 "2e5: per-cent errors for a point core)")
Replicas = number(int, ge=2, le=1000, what="replicas (errors come from their scatter; 8 is the "
                  "default)")
Seed = number(int, ge=0, what="(the study seed, a non-negative integer)")
GravitySamples = number(int, ge=64, le=10**7, what="points per body (gravity costs bodies² × "
                        "points² per replica)")
Angles = numbers(float, "angles [deg]", empty=True, keep=True)


class ApparatusTable(Table):
    """A table with an ``apparatus`` file: relative to the study file, and there."""

    @field_validator("apparatus", check_fields=False)
    @classmethod
    def _apparatus(cls, v, info: ValidationInfo):
        return str(relative_file(v, info, "apparatus"))
