"""Property tests (hypothesis) of the pair engine: chunking never changes a sum, Newton's third
law for central kernels, energy symmetric under exchange of the bodies."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nusim.engine import Gravity, Yukawa, pair_sums

kernels = st.sampled_from([Gravity(), Yukawa(0.7, 0.02)])


@st.composite
def point_sets(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    m = draw(st.integers(1, 40))
    n = draw(st.integers(1, 40))
    rng = np.random.default_rng(seed)
    src = rng.uniform(-0.05, 0.05, (m, 3))
    tgt = rng.uniform(-0.05, 0.05, (n, 3)) + np.array([0.2, 0.0, 0.0])   # disjoint sets
    return src, rng.uniform(0.1, 2.0, m), tgt, rng.uniform(0.1, 2.0, n)


@settings(max_examples=40, deadline=None)
@given(point_sets(), kernels, st.integers(1, 2000))
def test_chunk_size_does_not_change_the_sums(sets, kernel, chunk):
    src, sw, tgt, tw = sets
    axis = (np.zeros(3), np.array([0.0, 0.0, 1.0]))
    e1, f1, t1 = pair_sums(src, sw, tgt, tw, kernel, axis)
    e2, f2, t2 = pair_sums(src, sw, tgt, tw, kernel, axis, chunk_pairs=chunk)
    # only the order of additions changes: round-off, 1e-12 relative
    assert abs(e1 - e2) <= 1e-12 * abs(e1)
    assert np.allclose(f1, f2, rtol=1e-12, atol=1e-12 * np.abs(f1).max())
    assert abs(t1 - t2) <= 1e-12 * max(abs(t1), np.abs(f1).max() * 0.3)


@settings(max_examples=40, deadline=None)
@given(point_sets(), kernels)
def test_third_law_and_exchange_symmetry(sets, kernel):
    src, sw, tgt, tw = sets
    e_ab, f_on_b, _ = pair_sums(src, sw, tgt, tw, kernel)
    e_ba, f_on_a, _ = pair_sums(tgt, tw, src, sw, kernel)
    assert abs(e_ab - e_ba) <= 1e-12 * abs(e_ab)
    assert np.allclose(f_on_a, -f_on_b, rtol=1e-11, atol=1e-12 * np.abs(f_on_b).max())
