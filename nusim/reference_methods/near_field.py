"""Reference results: near-field gradient-overlap integrals of two uniform spheres (note §4, §7).

In the near field (q⊥²|z|/E ≪ 1 for every transverse scale of the bodies) the beam energy, the
retarded force and the radiation-pressure cross term of two bodies reduce to purely geometric
integrals of the transverse gradients of their densities. For two spheres with unit number
density, beam along +ẑ (k̂),

* sphere 1: radius a, centre at the origin; slice radius ρ₁(z) = √(a² − z²);
* sphere 2: radius b, centre at (c, 0, D) (transverse offset c ≥ 0, axial distance D > 0);
  slice radius ρ₂(z) = √(b² − (z − D)²); column densities Σ₁(s) = 2√(a² − |s|²),
  Σ₂(s) = 2√(b² − |s − c|²),

this module computes, each by a deterministic quadrature,

    J_U = ∫dz₁∫dz₂ |z₂ − z₁| ∫d²s ∇⊥ρ₁·∇⊥ρ₂      [L³]   (U  ≈ −G_F²Φ⟨1/E⟩ n₁n₂ J_U, §4)
    J_F = ∫dz₁∫dz₂ θ(z₂ − z₁) ∫d²s ∇⊥ρ₁·∇⊥ρ₂     [L²]   (F₂ = 2G_F²Φ⟨1/E⟩ n₁n₂ J_F along k̂, §7)
    J_Σ = ∫d²s ∇Σ₁·∇Σ₂                            [L²]   (cross term of (G_F²Φ/E)∫|∇⊥Σ_w|², §7)

for any length unit L; the caller multiplies by the physical prefactors (weak charges per volume
n₁, n₂, G_F²Φ⟨1/E⟩). Exact relations (used by the tests): ∫dz₁∫dz₂ ∫d²s ∇⊥ρ₁·∇⊥ρ₂ = J_Σ, so

    ∂J_U/∂D = 2J_F − J_Σ   (any D),      J_F = J_Σ and J_U = D·J_Σ   if the spheres are disjoint,

and all three are symmetric under a ↔ b (the reflection z → D − z, x → c − x exchanges the
spheres and reverses the order of z₁, z₂ in θ). The second pair holds not only for axially
separated spheres (D > a + b) but for any two disjoint spheres with D > 0: a line along k̂ meets
them in disjoint chords centred at z = 0 and z = D, so every z₂ on it exceeds every z₁. J_F and
J_U therefore carry information beyond J_Σ only for intersecting spheres, which are accepted here
(the integrals are defined) to test estimators in that regime.

Hence −∂U/∂D = G_F²Φ⟨1/E⟩ n₁n₂ (2J_F − J_Σ) for the even potential: for disjoint spheres that
is G_F²Φ⟨1/E⟩ n₁n₂ J_Σ, independent of D, and half the retarded force 2G_F²Φ⟨1/E⟩ n₁n₂ J_F
(downstream on the axis the retarded kernel is twice the even one, §7). J_Σ − J_F =
∫∫θ(z₁ − z₂)… is the share with the order reversed, zero for disjoint spheres.

Slice geometry (derivation). A uniform disk of radius R about centre m has ∇⊥ρ = −ν̂ δ(|s − m| − R),
ν̂ the outward normal. For two circles (radii R₁, R₂, centres c apart) the product of the two δ's
integrates to Σ_crossings 1/|sin β| and the normals give ν̂₁·ν̂₂ = cos β, so

    g(R₁, R₂) = ∫d²s ∇⊥ρ₁·∇⊥ρ₂ = 2 cot β = 2(R₁² + R₂² − c²)/√H,
    H = 4R₁²R₂² − (R₁² + R₂² − c²)² = (q² − Q₁)(Q₂ − q²)

when |R₁ − R₂| < c < R₁ + R₂ (zero otherwise), with q = |z₂ − D| = √(b² − R₂²) the height in
sphere 2 and Q₁ = b² − (R₁ + c)², Q₂ = b² − (R₁ − c)². Since dz₂ = dq on each of the two
branches z₂ = D ± q, the inner integral over z₂ has the 1/√ endpoint singularities of an
elliptic integral, and J = ∫dz₁ ∫dq g Σ_± w(D ± q − z₁) is done with tanh–sinh (double
exponential) rules split at every point where the integrand is not analytic (see
``_offset_breakpoints``). For coaxial spheres (c = 0) g → 2πR₁ δ(R₁ − R₂); with s = min(a, b),
l = max(a, b), δ = √(l² − s²), the common slice radius R and the substitution
√(s² − R²) = δ sinh u (which removes both Jacobians 1/|dρ/dz|) give the 1-D integral

    J = 2π ∫₀^{asinh(s/δ)} (s² − δ² sinh²u) Σ_{x ∈ {δeᵘ, δe⁻ᵘ}} [w(D + x) + w(D − x)] du,

analytic between the kinks δe^{±u} = D. For a = b it diverges logarithmically: the two spheres'
silhouettes coincide and the slice edges meet tangentially.

J_Σ is computed independently in the transverse plane, in polar coordinates (r, φ) about the
centre of sphere 1: ∇Σ₁·∇Σ₂ = 4 s·(s − c)/(√(a² − r²)√(b² − |s − c|²)), the 1/√ edge
singularities at r = a and at the edge of disk 2 being endpoints of the tanh–sinh rules.

References
----------
[1] M. Ghosh et al., JHEP 02 (2023) 092, arXiv:2209.07082.
[2] nusim design note (shared/design/directional-force-between-bodies.md) §4 (near field), §7
    (retarded force, radiation pressure).
"""

import math

import numpy as np
import scipy.special

from nusim.errors import ArgumentError
from nusim.physics._checks import positive

# tanh–sinh abscissae run over t ∈ [−T, T]; at T = 4 the node nearest an end lies ~5e-38 of the
# interval from it, so the truncated tails of an x^(−1/2) endpoint singularity are < 1e-17
_TANH_SINH_T_MAX = 4.0


def _tanh_sinh(level):
    """Tanh–sinh rule on [0, 1] with step 2^(−level): (distance to 0, distance to 1, weight).

    Both distances are returned so that integrands singular at an end can be evaluated without
    cancellation (x and 1 − x are never formed by subtraction).
    """
    h = 2.0 ** (-level)
    n = int(math.ceil(_TANH_SINH_T_MAX / h))
    t = h * np.arange(-n, n + 1)
    u = 0.5 * math.pi * np.sinh(t)
    d_lo = scipy.special.expit(2 * u)                  # (1 + tanh u)/2
    d_hi = scipy.special.expit(-2 * u)                 # (1 − tanh u)/2
    w = math.pi * h * np.cosh(t) * d_lo * d_hi         # (π/2)cosh t / cosh²u · h / 2
    return d_lo, d_hi, w


def _pieces(lo, hi, cuts):
    """Sorted sub-intervals of [lo, hi] split at the cuts strictly inside it."""
    pts = sorted({lo, hi, *(x for x in cuts if lo < x < hi)})
    return list(zip(pts[:-1], pts[1:], strict=True))


def _validate(func, a, b, D=None, offset=0.0):
    a = float(positive("a", a, func, unit="L"))
    b = float(positive("b", b, func, unit="L"))
    c = float(positive("offset", offset, func, allow_zero=True, unit="L"))
    if D is not None:
        D = float(positive("D", D, func, unit="L"))
    if c == 0.0 and a == b:
        raise ArgumentError(
            f"{func}: a == b ({a!r}) with offset 0: coaxial spheres of equal radius have "
            "coincident silhouettes and the near-field integral diverges logarithmically. "
            "Give the spheres different radii or a non-zero transverse offset.") from None
    return a, b, D, c


# --------------------------------------------------------------------------------------------
# slices: coaxial (1-D) and offset (2-D)

def _coaxial_slice_integral(a, b, D, weight, level):
    """2π ∫₀^U (s² − δ² sinh²u) Σ_{x = δe^{±u}} [w(D + x) + w(D − x)] du (coaxial, a ≠ b)."""
    s, big = min(a, b), max(a, b)
    delta = math.sqrt((big - s) * (big + s))
    u_max = math.asinh(s / delta)
    # kinks of w(D − δe^{±u}) at u = ±ln(D/δ)
    cuts = [math.log(D / delta), -math.log(D / delta)]
    d_lo, d_hi, w = _tanh_sinh(level)
    total = 0.0
    for lo, hi in _pieces(0.0, u_max, cuts):
        u = np.where(d_lo < 0.5, lo + (hi - lo) * d_lo, hi - (hi - lo) * d_hi)
        if hi == u_max:
            # s² − δ²sinh²u = δ²(sinh U − sinh u)(sinh U + sinh u), sinh U = s/δ: no cancellation
            dist = (hi - lo) * d_hi
            sinh_diff = 2 * np.cosh(u_max - dist / 2) * np.sinh(dist / 2)
            r2 = delta**2 * sinh_diff * (s / delta + np.sinh(u))
        else:
            r2 = s * s - (delta * np.sinh(u)) ** 2
        xp, xm = delta * np.exp(u), delta * np.exp(-u)
        f = r2 * (weight(D + xp) + weight(D - xp) + weight(D + xm) + weight(D - xm))
        total += (hi - lo) * float(w @ f)
    return 2 * math.pi * total


def _circle_intersections_xz(a, b, D, c):
    """Heights z of the crossing points of the circles x² + z² = a², (x − c)² + (z − D)² = b².

    These are the slices of sphere 1 where a kink of w(z₂ − z₁) meets an end of the q range.
    Empty unless the spheres intersect in 3-D.
    """
    dist = math.hypot(c, D)
    if not abs(a - b) < dist < a + b:
        return []
    along = (a * a - b * b + dist * dist) / (2 * dist)   # from centre 1 towards centre 2
    half = math.sqrt(max(a * a - along * along, 0.0))
    ez, ex = D / dist, c / dist                           # unit vector towards centre 2 in (x, z)
    # perpendicular in the xz-plane: (ez, −ex) as (x, z) → z-component −ex
    return [along * ez + half * ex, along * ez - half * ex]


def _offset_breakpoints(a, b, D, c):
    """z₁ where the inner integral over z₂ is not analytic in z₁.

    * ρ₁(z₁) = b + c or |b − c|: the slice circle of sphere 1 becomes tangent to the equator
      of sphere 2 (Q₂ = 0: the q range opens with a jump; Q₁ = 0: a log singularity);
    * the xz-plane crossings of the two spheres' outlines (only if the spheres intersect),
      where the kink q = |z₁ − D| of w reaches an end of the q range.
    """
    cuts = [0.0]              # ρ₁ = a: a tangency at the equator of sphere 1 lands here
    # a − ρ₁ at ρ₁ = c − b, b − c, b + c, written exactly as the factors of Q₁, Q₂ in
    # `_offset_inner` vanish, so that the cuts sit on their zeros to the last bit
    for gap in (a + b - c, a + c - b, a - b - c):
        if 0 < gap <= a:
            z = math.sqrt(gap * (2 * a - gap))
            cuts += [z, -z]
    cuts += _circle_intersections_xz(a, b, D, c)
    return cuts


def _offset_slice_integral(a, b, D, c, weight, level):
    """∫dz₁ ∫dq g(ρ₁(z₁), √(b² − q²)) Σ_± w(D ± q − z₁) for offset c > 0 (see module docstring)."""
    d_lo, d_hi, w = _tanh_sinh(level)
    total = 0.0
    for lo, hi in _pieces(-a, a, _offset_breakpoints(a, b, D, c)):
        width = hi - lo
        z1 = np.where(d_lo < 0.5, lo + width * d_lo, hi - width * d_hi)
        # a − |z₁| without cancellation at the poles of sphere 1
        gap = np.where(z1 < 0, (lo + a) + width * d_lo, (a - hi) + width * d_hi)
        r1 = np.sqrt(gap * (2 * a - gap))
        total += width * float(w @ _offset_inner(a, r1, z1, b, D, c, weight, d_lo, d_hi, w))
    return total


def _offset_inner(a, r1, z1, b, D, c, weight, d_lo, d_hi, w):
    """∫dq 2(K − q²)/√((q² − Q₁)(Q₂ − q²)) Σ_± w(D ± q − z₁) for the slices (ρ₁, z₁) of sphere 1.

    ``r1``, ``z1``: (n,) arrays; returns (n,). K = ρ₁² + b² − c²; q runs over [q_lo, q_hi] =
    [√max(Q₁, 0), √Q₂], split at the kink q = |z₁ − D| of w; the 1/√ ends are rule endpoints.
    """
    # b ± c − ρ₁ = (b ± c − a) + (a − ρ₁) with a − ρ₁ = z₁²/(a + ρ₁), and likewise ρ₁ − (c − b):
    # exact where the vanishing point is at ρ₁ = a (a tangency at the equator z₁ = 0, where the
    # factor is quadratic in z₁)
    a_minus_r1 = z1 * z1 / (a + r1)
    q2_sq = ((b + c - a) + a_minus_r1) * ((a + b - c) - a_minus_r1)   # Q₂ = b² − (ρ₁ − c)²
    q1_sq = ((b - c - a) + a_minus_r1) * (b + r1 + c)    # Q₁ = b² − (ρ₁ + c)²
    q_hi = np.sqrt(np.maximum(q2_sq, 0.0))
    q_lo = np.sqrt(np.maximum(q1_sq, 0.0))
    live = q_hi > q_lo                                   # the slice circle crosses some of disk 2
    k = (r1 * r1 + b * b - c * c)[:, None]
    kink = np.clip(np.abs(z1 - D), q_lo, q_hi)
    total = np.zeros_like(r1)
    for lo, hi in ((q_lo, kink), (kink, q_hi)):
        rows = np.nonzero(live & (hi > lo))[0]           # slices with this piece non-empty
        if rows.size == 0:
            continue
        lo_, hi_ = lo[rows, None], hi[rows, None]
        width = hi_ - lo_
        top, bottom = q_hi[rows, None], q_lo[rows, None]
        q = np.where(d_lo < 0.5, lo_ + width * d_lo, hi_ - width * d_hi)
        above = (lo_ - bottom) + width * d_lo            # q − q_lo
        below = (top - hi_) + width * d_hi               # q_hi − q
        lower = np.where((q1_sq[rows] > 0)[:, None], above * (q + bottom),
                         q * q - q1_sq[rows, None])      # q² − Q₁
        g = 2 * (k[rows] - q * q) / np.sqrt(lower * below * (top + q))
        zr = z1[rows, None]
        f = g * (weight(D + q - zr) + weight(D - q - zr))
        total[rows] += width[:, 0] * (f @ w)
    return total


def _slice_integral(func, a, b, D, offset, weight, level):
    a, b, D, c = _validate(func, a, b, D, offset)
    if c >= a + b:
        return 0.0
    if c == 0.0:
        return _coaxial_slice_integral(a, b, D, weight, level)
    return _offset_slice_integral(a, b, D, c, weight, level)


def _abs_weight(x):
    return np.abs(x)


def _step_weight(x):
    return (x > 0).astype(float)


def gradient_overlap_energy(a, b, D, offset=0.0, *, level=5):
    """J_U = ∫dz₁∫dz₂ |z₂ − z₁| ∫d²s ∇⊥ρ₁·∇⊥ρ₂ of two uniform unit-density spheres [L³].

    Implements the geometric factor of the near-field energy of design note §4 [2],
    U ≈ −G_F² Φ ⟨1/E⟩ n₁ n₂ J_U (n the weak charge per volume).

    Parameters
    ----------
    a : radius of sphere 1, centred at the origin [L], scalar > 0
    b : radius of sphere 2, centred at (offset, 0, D) [L], scalar > 0
    D : axial distance of the centres along the beam k̂ = +ẑ [L], scalar > 0
    offset : transverse distance c of the centres [L], scalar ≥ 0
    level : tanh–sinh step 2^(−level); each +1 doubles the nodes

    Returns
    -------
    J_U [L³], float. Zero when the silhouettes do not overlap (offset ≥ a + b).

    Raises
    ------
    ArgumentError if a == b and offset == 0 (coincident silhouettes: logarithmically divergent).

    Notes
    -----
    Coaxial: 1-D quadrature; offset: 2-D (z₁, z₂) quadrature (module docstring). At the default
    level 5 the value agrees with level 8 to ≤ 2e-13 relative in every configuration tried:
    intersecting and disjoint spheres, internal tangencies of the silhouettes, offsets down to
    1e-4 and radii 1e-7 apart (tests/reference_methods/test_near_field.py shows the convergence
    and the checks against independent methods). Near external tangency of the silhouettes
    (g = a + b − offset ≪ a) the integral itself is ill-conditioned: rounding the inputs to
    float64 changes it by ~1e-16·a/g relative. Intersecting spheres are accepted (the integral
    is defined), though not physical bodies. For disjoint spheres (D > 0), J_U = D·J_Σ exactly.
    """
    return _slice_integral("gradient_overlap_energy", a, b, D, offset, _abs_weight, level)


def gradient_overlap_force(a, b, D, offset=0.0, *, level=5):
    """J_F = ∫dz₁∫dz₂ θ(z₂ − z₁) ∫d²s ∇⊥ρ₁·∇⊥ρ₂ of two uniform unit-density spheres [L²].

    Implements the geometric factor of the retarded near-field force of design note §7 [2] on the
    downstream sphere 2 along k̂: F₂ = 2 G_F² Φ ⟨1/E⟩ n₁ n₂ J_F.

    Parameters and errors as in `gradient_overlap_energy`.

    Returns
    -------
    J_F [L²], float.

    Notes
    -----
    ∂J_U/∂D = 2J_F − J_Σ for every D, so −∂U/∂D of the even potential equals
    G_F²Φ⟨1/E⟩ n₁n₂ (2J_F − J_Σ); for disjoint spheres J_F = J_Σ and that is half the retarded force
    (§7: downstream on the axis the retarded kernel is twice the even one). J_F is symmetric
    under a ↔ b. Accuracy as in `gradient_overlap_energy`.
    """
    return _slice_integral("gradient_overlap_force", a, b, D, offset, _step_weight, level)


# --------------------------------------------------------------------------------------------
# column densities in the transverse plane (independent of the slice formula)

def _lens_integral(a, b, c, weight, level):
    """∫d²s ∇Σ₁·∇Σ₂ · weight(p, q) in polar coordinates about centre 1, p = Σ₁/2, q = Σ₂/2.

    ``weight`` takes the half-chords p = √(a² − r²), q = √(b² − |s − c|²) (arrays); weight ≡ 1
    gives J_Σ. Breakpoints in r: a (edge of disk 1) and b + c, |b − c| (where the φ range
    of disk 2 opens or closes). For c = 0 the φ integral is 2π.
    """
    d_lo, d_hi, w = _tanh_sinh(level)
    total = 0.0
    r_top = min(a, b + c)
    for lo, hi in _pieces(0.0, r_top, [abs(b - c)]):
        width = hi - lo
        r = np.where(d_lo < 0.5, lo + width * d_lo, hi - width * d_hi)
        a_gap = (a - hi) + width * d_hi                  # a − r
        p = np.sqrt(a_gap * (2 * a - a_gap))
        if c == 0.0:
            b_gap = (b - hi) + width * d_hi              # b − r
            q = np.sqrt(b_gap * (2 * b - b_gap))
            f = 2 * math.pi * r * 4 * r * r / (p * q) * weight(p, q)
        else:
            # (r + c)² − b² and b² − (r − c)², each factor measured from the piece end where it
            # can vanish (r = |b − c| at lo, r = b + c at hi), so near-tangency keeps its digits
            above, below = width * d_lo, width * d_hi
            near_lo = d_lo < 0.5
            inside = (np.where(near_lo, (lo + c - b) + above, (hi + c - b) - below)
                      * (r + c + b))
            outside = (np.where(near_lo, (b + c - lo) - above, (b + c - hi) + below)
                       * np.where(near_lo, (lo + b - c) + above, (hi + b - c) - below))
            f = _lens_angular(r, p, inside, outside, c, weight, d_lo, d_hi, w)
        total += width * float(w @ f)
    return total


def _lens_angular(r, p, inside, outside, c, weight, d_lo, d_hi, w):
    """r ∫dφ 4(r² − rc cos φ)/(p q) weight(p, q) over the arcs of the circles |s| = r in disk 2.

    ``r``, ``p`` and inside = (r + c)² − b² = 4rc cos²(φ_max/2), outside = b² − (r − c)² =
    4rc sin²(φ_max/2): (n,) arrays; returns (n,). φ ∈ [0, φ_max] (× 2 for −φ); the edge of
    disk 2 (q → 0, a 1/√ singularity) is the rule's right end.
    """
    live = (outside > 0) & (r > 0) & (p > 0)
    full = inside < 0                                    # whole circle inside disk 2: φ_max = π
    root_in, root_out = np.sqrt(np.maximum(inside, 0.0)), np.sqrt(np.maximum(outside, 0.0))
    phi_max = np.where(full, math.pi, 2 * np.arctan2(root_out, root_in))
    psi_max = np.where(full, 0.0, 2 * np.arctan2(root_in, root_out))          # π − φ_max
    dist = phi_max[:, None] * d_hi                       # φ_max − φ
    phi = np.where(d_lo < 0.5, phi_max[:, None] * d_lo, phi_max[:, None] - dist)
    rc = (r * c)[:, None]
    # full circle: q² = b² − (r + c)² + 2rc(1 + cos φ), 1 + cos φ = 2 sin²((π − φ)/2);
    # otherwise q² = 2rc(cos φ − cos φ_max) = 4rc sin((φ_max + φ)/2) sin((φ_max − φ)/2), with
    # sin((φ_max + φ)/2) = sin((π − φ_max) + (φ_max − φ)/2) accurate near tangency
    q_sq = np.where(full[:, None], -inside[:, None] + 4 * rc * np.sin(0.5 * dist) ** 2,
                    4 * rc * np.sin(psi_max[:, None] + 0.5 * dist) * np.sin(0.5 * dist))
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.sqrt(q_sq)
        pp = p[:, None]
        f = 4 * r[:, None] * (r[:, None] ** 2 - rc * np.cos(phi)) / (pp * q) * weight(pp, q)
        return np.where(live, 2 * phi_max * (f @ w), 0.0)


def _unit_weight(p, q):
    return 1.0


def column_gradient_overlap(a, b, offset=0.0, *, level=5):
    """J_Σ = ∫d²s ∇Σ₁·∇Σ₂ of the column densities of two uniform unit-density spheres [L²].

    Implements the cross term of the near-field radiation pressure (G_F²Φ/E)∫d²s |∇⊥Σ_w|² of
    design note §7 [2] (Σ_w = n₁Σ₁ + n₂Σ₂ → 2n₁n₂ J_Σ), computed from
    Σ₁(s) = 2√(a² − |s|²), Σ₂(s) = 2√(b² − |s − c|²) by a 2-D quadrature in the transverse plane
    (1-D for offset 0), not through the slice formula.

    Parameters
    ----------
    a, b : sphere radii [L], scalars > 0
    offset : transverse distance c of the centres [L], scalar ≥ 0
    level : tanh–sinh step 2^(−level)

    Returns
    -------
    J_Σ [L²], float; for offset 0 and a < b it equals 4π[(a² + b²) asinh(a/√(b² − a²)) − ab].

    Raises
    ------
    ArgumentError if a == b and offset == 0 (∇Σ₁·∇Σ₂ ~ 1/(a − r) at the common edge: divergent).

    Notes
    -----
    Does not depend on D. At level 5 it agrees with level 8 to ≤ 3e-15 relative in the
    configurations of `gradient_overlap_energy`'s notes (within 1e-9 already at level 4), with the
    slice route (J_F of separated spheres) to ≤ 3e-15, and with a Fourier–Hankel evaluation to
    ≤ 6e-7, that method's own accuracy (tests/reference_methods/test_near_field.py). Same
    conditioning caveat near external tangency.
    """
    a, b, _, c = _validate("column_gradient_overlap", a, b, None, offset)
    if c >= a + b:
        return 0.0
    return _lens_integral(a, b, c, _unit_weight, level)


def blurred_gradient_overlap_energy(a, b, dist, sigma, n=96):
    """J_U of two coaxial spheres blurred by a Gaussian angular profile [L³].

    An independent 2-D quadrature of ∫dz₁dz₂ |Δz| ∫∫ ∇⊥ρ₁·∇⊥ρ₂ N(s₁ − s₂; σ|Δz|), the near-field
    energy integral in a beam with a Gaussian angular profile (σ [rad] per transverse axis);
    spheres as in :func:`gradient_overlap_energy` with c = 0. For circles of radii R₁, R₂ the
    Gaussian-weighted normal overlap is 2πR₁R₂ e^{−(R₁−R₂)²/2w²} I₁ₑ(R₁R₂/w²)/w² (I₁ₑ the scaled
    Bessel function), w = σ|Δz|. As σ → 0 it tends to J_U (7.4467e-5 vs 7.4428e-5 at σ = 1e-3
    with n ≥ 200 nodes; n = 96 converges for σ ≳ 0.01 but is 4 % off at σ = 1e-3, where the
    Gaussian across R₁ − R₂ is narrower than the nodes)."""
    x, wt = np.polynomial.legendre.leggauss(n)
    # z = a sin θ removes the slice-radius endpoint singularity (dz = a cos θ dθ)
    th = 0.5 * math.pi * x
    z1, w1 = a * np.sin(th), wt * 0.5 * math.pi * a * np.cos(th)
    z2, w2 = dist + b * np.sin(th), wt * 0.5 * math.pi * b * np.cos(th)
    r1 = np.sqrt(np.clip(a**2 - z1**2, 0, None))[:, None]
    r2 = np.sqrt(np.clip(b**2 - (z2 - dist) ** 2, 0, None))[None, :]
    dz = np.abs(z2[None, :] - z1[:, None])
    w = sigma * dz
    g = 2 * math.pi * r1 * r2 * np.exp(-((r1 - r2) ** 2) / (2 * w**2)) * scipy.special.ive(
        1, r1 * r2 / w**2) / w**2
    return float(w1 @ (dz * g) @ w2)
