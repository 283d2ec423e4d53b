"""The physics core: potentials of the founding paper in natural units (powers of eV).

Every potential is returned per G_F² g₁g₂, in [eV⁵]; lengths are [eV⁻¹], energies, temperatures
and masses [eV], fluxes [eV³]. Convert at the boundary with :mod:`nusim.units`.
"""

from nusim.physics.directional import directional_integral
from nusim.physics.isotropic import isotropic_potential
from nusim.physics.vacuum import vacuum_potential

__all__ = ["directional_integral", "isotropic_potential", "vacuum_potential"]
