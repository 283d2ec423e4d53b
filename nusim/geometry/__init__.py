"""Apparatus geometry: materials, shapes (true solids and meshes), bodies, exact sampling."""

from nusim.geometry.apparatus import load_apparatus

__all__ = ["load_apparatus"]
