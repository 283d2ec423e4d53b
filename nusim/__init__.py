"""nusim: the neutrino force in neutrino backgrounds, for torsion balances and other fifth-force
experiments (Ghosh, Grossman, Tangarife, Xu & Yu, JHEP 02 (2023) 092, arXiv:2209.07082)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
