"""Parametrised torsion-balance designs and their search (issue 12, parts 2–4).

* :mod:`nusim.design.space` — the free parameters (ranges, discrete choices), fixed values and
  constraints of a design file, and the unit-cube coordinates the optimiser moves in;
* :mod:`nusim.design.builder` — a parameter vector → pendulum and attractor ``Body`` lists, and
  the constraint check (an infeasible point is rejected, never evaluated);
* :mod:`nusim.design.noise` — the fibre's thermal torque noise and the signal-to-noise ratio;
* :mod:`nusim.design.objective` — the modulated retarded torque of a design and its S/N;
* :mod:`nusim.design.search` — enumeration of the discrete choices × Nelder–Mead on the
  continuous ones (scipy), with the record of every evaluation;
* :mod:`nusim.design.guardrails` — face flatness/alignment tolerances and the core's power
  profile as modelled degradations.

docs/design-search.md derives the noise model and justifies the choices.
"""
