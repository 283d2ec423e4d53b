"""Independent reference methods: slow, direct quadratures and closed forms that tests, benchmarks
and studies compare the production physics (``nusim.physics``) and engine (``nusim.engine``)
against. None of them is used to compute a study's result.

- :mod:`~nusim.reference_methods.spheres` — two coaxial uniform spheres, 2-D quadrature of the
  retarded energy (design note §5);
- :mod:`~nusim.reference_methods.disks` — two coaxial disks, the paraxial Fresnel ratio;
- :mod:`~nusim.reference_methods.near_field` — gradient-overlap (near-field) quadratures of
  spheres, columns and blurred spheres (design note §4, §7, §8);
- :mod:`~nusim.reference_methods.scattering` — coherent scattering off point bodies, the
  momentum-balance check of the retarded pair force (design note §7).
"""
