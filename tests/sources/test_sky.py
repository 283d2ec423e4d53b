"""Tests of nusim.sources.sky: offline astropy positions in East-North-Up."""

import datetime as dt

import numpy as np
import pytest
from astropy.utils import iers

from nusim.sources import sky

SEATTLE = sky.Site(47.660, -122.303, 50.0)   # reference Part B "Lab locations"


def test_galactic_centre_icrs():
    # (l, b) = (0, 0) is at RA 17h45m37.2s = 266.405°, Dec −28°56′10″ = −28.936° (J2000; IAU 1958
    # definition as realised in astropy's Galactic frame); 1e-3° covers the rounding of the quote
    ra, dec = sky.galactic_centre_radec_deg()
    assert ra == pytest.approx(266.405, abs=1e-3)
    assert dec == pytest.approx(-28.936, abs=1e-3)


def test_radec_to_enu_shapes_and_pole_altitude():
    times = np.datetime64("2024-03-01T00:00") + np.arange(4) * np.timedelta64(6, "h")
    v = sky.radec_to_enu(0.0, 90.0, times, SEATTLE)
    assert v.shape == (4, 3)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-12)   # round-off
    # the ICRS pole stands at altitude ≈ latitude; precession since J2000 (≈ 20″/yr × 24 yr =
    # 0.13°) plus aberration (20″) keep it within 0.2° of the latitude, towards North
    alt = np.degrees(np.arcsin(v[:, 2]))
    np.testing.assert_allclose(alt, SEATTLE.latitude_deg, atol=0.2)
    assert np.all(v[:, 1] > 0.6)
    assert sky.radec_to_enu(10.0, 20.0, "2024-03-01T00:00", SEATTLE).shape == (3,)
    # galactic-centre helper agrees with radec_to_enu at its coordinates (same path, round-off)
    ra, dec = sky.galactic_centre_radec_deg()
    np.testing.assert_allclose(sky.galactic_centre_enu(times, SEATTLE),
                               sky.radec_to_enu(ra, dec, times, SEATTLE), atol=1e-9)


def test_altaz_to_enu_and_lab_rotation():
    # compass convention: azimuth 90° (East) at altitude 0 is +x (exact up to round-off)
    np.testing.assert_allclose(sky.altaz_to_enu(0.0, 90.0), [1.0, 0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(sky.altaz_to_enu(90.0, 0.0), [0.0, 0.0, 1.0], atol=1e-15)
    # apparatus turned 90° towards East: North-pointing vector has lab x = −1 (x axis points South)
    np.testing.assert_allclose(sky.enu_to_lab([0.0, 1.0, 0.0], 90.0), [-1.0, 0.0, 0.0],
                               atol=1e-15)
    np.testing.assert_allclose(sky.enu_to_lab([[1.0, 2.0, 3.0]], 0.0), [[1.0, 2.0, 3.0]])


def test_offline_far_dates_silent_and_config_restored():
    # far outside the bundled IERS tables: no warning may escape (pytest filterwarnings=error)
    # and the IERS configuration is unchanged after the call
    before = (iers.conf.auto_download, iers.conf.auto_max_age, iers.conf.iers_degraded_accuracy)
    alt, az, dist = sky.sun_altaz(["1975-06-21T12:00", "2045-06-21T12:00"], SEATTLE)
    assert alt.shape == az.shape == dist.shape == (2,)
    # the Earth–Sun distance stays within perihelion/aphelion 0.9833–1.0167 au (reference §A4)
    assert np.all((dist > 0.983) & (dist < 1.017))
    after = (iers.conf.auto_download, iers.conf.auto_max_age, iers.conf.iers_degraded_accuracy)
    assert after == before


def test_utc_times_accepts_the_documented_types():
    expect = np.datetime64("2024-06-21T12:00:00.000")
    for value in ("2024-06-21T12:00:00", "2024-06-21 12:00", dt.datetime(2024, 6, 21, 12),
                  np.datetime64("2024-06-21T12:00"),
                  dt.datetime(2024, 6, 21, 14, tzinfo=dt.timezone(dt.timedelta(hours=2)))):
        assert sky.utc_times(value) == expect
    assert sky.utc_times(dt.date(2024, 6, 21)) == np.datetime64("2024-06-21T00:00:00.000")
    assert sky.utc_times(["2024-06-21", "2024-06-22"]).shape == (2,)


def test_errors():
    with pytest.raises(ValueError, match=r"utc_times: time_utc=3.5 is not a UTC time"):
        sky.utc_times(3.5)
    with pytest.raises(ValueError, match=r"Site: longitude_deg must lie in \[-360, 360\]"):
        sky.Site(0.0, 400.0)
    with pytest.raises(ValueError, match=r"sun_enu|sun_altaz: site=.* is not a Site"):
        sky.sun_enu("2024-01-01", "Seattle")
    with pytest.raises(ValueError, match=r"radec_to_enu: dec_deg must lie in \[-90, 90\]"):
        sky.radec_to_enu(0.0, 95.0, "2024-01-01", SEATTLE)
    with pytest.raises(ValueError, match=r"enu_to_lab: vectors_enu must have a last axis of "
                                         r"length 3"):
        sky.enu_to_lab([1.0, 2.0], 0.0)
