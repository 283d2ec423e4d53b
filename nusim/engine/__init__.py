"""Engines: pair sums of kernels between sampled bodies (gravity, Yukawa, vacuum ν, small-N_F
beams) and the surface (wake) estimator of the directional beam force → energy, force, torque
with errors."""

from nusim.engine.directional import DirectionalBeam, DirectionalResult, directional_interaction
from nusim.engine.interact import interact
from nusim.engine.pairsum import (Beam, Gravity, VacuumNeutrino, Yukawa, kernel_from_name,
                                  pair_sums)
from nusim.engine.result import Estimate, InteractionResult

__all__ = ["Beam", "DirectionalBeam", "DirectionalResult", "Estimate", "Gravity",
           "InteractionResult", "VacuumNeutrino", "Yukawa", "directional_interaction",
           "interact", "kernel_from_name", "pair_sums"]
