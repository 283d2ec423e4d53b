"""Parameters of the studies "directional_suppression" and "directional_convergence": the keys of
their TOML tables, defaults and validation (the tasks, the reduction and the figures are in
:mod:`nusim.studies.directional_suppression`, :mod:`nusim.studies.directional_convergence` and
:mod:`nusim.studies.directional_figures`).

``directional_suppression`` — the suppression U/U_(α=0) of the beam energy of two uniform
coaxial spheres (radius a, centres D apart along the beam, a monochromatic line of energy E) against
the Fresnel number N_F = E a²/D (so E = N_F D/a² [m⁻¹], × ħc for eV), from 1e-2 (where the paper's
α = 0 estimate, eq. 5.3 summed, holds) to 1e12 (a 1 cm body at 10 cm in a ~200 MeV beam), for
two pairs: identical spheres (b = a: coincident silhouettes, the slowest decay) and a mismatched
pair (b = ``mismatch_ratio`` × a). Per point, ``directional_interaction(estimator="auto")`` gives
the symmetric energy (the paper's even V) and the retarded one (target in the source's wake,
design note §7), each divided by its α = 0 counterpart: U_naive for the symmetric energy and
2 U_naive for the retarded one (downstream on the axis the retarded kernel is twice the paper's
leading term). References:

* identical spheres, N_F ≤ ``reference_max_fresnel``: the 2-D quadrature of design note §5
  (:func:`nusim.reference_methods.spheres.coaxial_spheres_energy`, both kernels);
* mismatched spheres, near field ((1 − b/a)² N_F ≫ 1): U → −G_F² Φ ⟨1/E⟩ n₁n₂ J_U (design note §4;
  J_U from :func:`nusim.reference_methods.near_field.gradient_overlap_energy`, ⟨1/E⟩ = 1/E for a
  line), and U_R → 2U (every z₂ exceeds every z₁ for disjoint coaxial spheres, §7). Relative to
  U_naive ∝ ⟨E⟩ this falls exactly as N_F^(−2).

``directional_convergence`` — a tungsten attractor and a copper pendulum (cylinders, axes
vertical) ``separation_m`` apart along x, in the antineutrino beam of a reactor
``reactor_distance_m`` from the apparatus midpoint and ``reactor_depth_m`` below the bodies'
plane, on the attractor's side (the pendulum is in the attractor's wake), for a point core and a
finite cylindrical core. For each sample count the retarded energy (the channel a torsion
balance feels) with its replica error; the relative error against samples and against wall time.

Both studies write a PNG, a CSV and ``results.json`` (with the configuration, the versions and the
citations) through the study runner (:mod:`nusim.studies.runner`).

References: [1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082, eqs. (4.12), (5.3);
[2] nusim design note shared/design/directional-force-between-bodies.md §2–§7.
"""

from nusim.schema import study as _schema

KINDS = ("directional_suppression", "directional_convergence")

#: the defaults of the [directional_suppression] and [directional_convergence] tables, declared
#: in nusim.schema.study
SUPPRESSION_DEFAULTS = _schema.DirectionalSuppression.defaults()
CONVERGENCE_DEFAULTS = _schema.DirectionalConvergence.defaults()

#: the near-field asymptote of the mismatched pair is compared where (1 − b/a)² N_F exceeds this
#: (q⊥²D/E ≪ 1 for the edge gap a − b, design note §4)
NEAR_FIELD_MIN = 10.0
#: relative error the convergence figure marks (the benchmark's target)
TARGET_RELATIVE_ERROR = 0.1


# ---------------------------------------------------------------------------------------------
# parameters


def suppression_params(doc, path):
    """Validated parameters of the [directional_suppression] table of the study at ``path``,
    declared in :mod:`nusim.schema.study` (``DirectionalSuppression``)."""
    return _schema.params("directional_suppression", doc, path)


def convergence_params(doc, path):
    """Validated parameters of the [directional_convergence] table of the study at ``path``,
    declared in :mod:`nusim.schema.study` (``DirectionalConvergence``)."""
    return _schema.params("directional_convergence", doc, path)


PARAMS = {"directional_suppression": suppression_params,
          "directional_convergence": convergence_params}
