"""Neutrino sources: reactor, Sun, supernova, cosmic background (SI at the boundary).

Every source follows ``nusim/sources/CONVENTIONS.md``; the smeared pair potential of a source is
:func:`nusim.sources.pair_potential.pair_potential`.
"""

from nusim.sources.reactor import Reactor
from nusim.sources.relic import RelicBackground
from nusim.sources.solar import Sun
from nusim.sources.supernova import Supernova

__all__ = ["Reactor", "RelicBackground", "Sun", "Supernova"]
