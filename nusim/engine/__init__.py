"""Pair-sum engine: kernels summed between sampled bodies → energy, force, torque with errors."""

from nusim.engine.interact import interact
from nusim.engine.pairsum import (Beam, Gravity, VacuumNeutrino, Yukawa, kernel_from_name,
                                  pair_sums)
from nusim.engine.result import Estimate, InteractionResult

__all__ = ["Beam", "Estimate", "Gravity", "InteractionResult", "VacuumNeutrino", "Yukawa", "interact",
           "kernel_from_name", "pair_sums"]
