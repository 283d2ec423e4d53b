"""Directions on the sky as seen from a lab site: the Sun and fixed sky points, in East-North-Up.

This is the one module of nusim that calls astropy for positions. Every function that touches
astropy runs inside :func:`_offline_astropy`, which, only for the duration of the call,

* turns IERS auto-download off (``iers.conf.auto_download = False``): nothing is ever fetched;
  astropy uses the Earth-orientation tables bundled with ``astropy-iers-data``;
* sets ``iers.conf.auto_max_age = None`` and ``iers.conf.iers_degraded_accuracy = "warn"``:
  offline astropy otherwise refuses times whose UT1−UTC is a stale prediction or lies beyond the
  bundled tables. The accuracy then left is ample here (below);
* catches and drops the warnings those settings and the leap-second table produce (IERS
  degraded-accuracy/stale warnings, "polar motion from the 50-yr mean", ERFA "dubious year"),
  so callers (and pytest with ``filterwarnings = error``) never see them.

No configuration is changed at import and no state is kept between calls.

Conventions: unit vectors in East-North-Up (x = East, y = North, z = Up) at the site; azimuth is
the compass azimuth, from North towards East [deg]; altitude is geometric (no refraction: the
direction serves neutrinos, which are not refracted by the atmosphere). Functions here return the
direction FROM the lab TOWARDS the sky object; the sources turn it into a direction of travel.

Accuracy (Notes for every function here): astropy's ``get_sun`` is accurate to a few arcsec
[1]; for dates outside the bundled IERS tables UT1−UTC is held at its last value, and since
|UT1−UTC| < 0.9 s by definition of UTC the hour angle errs by < 0.004°; the default polar motion
adds < 1″. The tests (tests/sources/test_solar.py) check the altitude at solar noon on the
solstices against 90° − latitude ± 23.44° within 0.05°.

References
----------
1. Astropy Collaboration, A&A 558, A33 (2013), doi:10.1051/0004-6361/201322068; ApJ 935, 167
   (2022), doi:10.3847/1538-4357/ac7c74; ``astropy.coordinates.get_sun`` documentation.
2. IERS Conventions (2010), IERS Technical Note 36 (Earth-orientation data bundled by
   ``astropy-iers-data``).
"""

import contextlib
import datetime as _dt
import warnings
from dataclasses import dataclass

import numpy as np

from nusim.errors import ArgumentError

__all__ = [
    "Site",
    "as_site",
    "utc_times",
    "altaz_to_enu",
    "enu_to_lab",
    "sun_altaz",
    "sun_enu",
    "radec_to_enu",
    "galactic_to_enu",
    "galactic_centre_radec_deg",
    "galactic_centre_enu",
]


@dataclass(frozen=True)
class Site:
    """A lab site: geodetic latitude and longitude [deg] (WGS84, East positive), height [m]."""

    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0

    def __post_init__(self):
        for name in ("latitude_deg", "longitude_deg", "altitude_m"):
            try:
                value = float(getattr(self, name))
            except (TypeError, ValueError):
                raise ArgumentError(f"Site: {name}={getattr(self, name)!r} is not a "
                                    "number") from None
            if not np.isfinite(value):
                raise ArgumentError(f"Site: {name}={value!r} must be finite")
            object.__setattr__(self, name, value)
        if not -90.0 <= self.latitude_deg <= 90.0:
            raise ArgumentError(f"Site: latitude_deg must lie in [-90, 90] [deg]; got "
                                f"{self.latitude_deg!r}")
        if not -360.0 <= self.longitude_deg <= 360.0:
            raise ArgumentError(f"Site: longitude_deg must lie in [-360, 360] [deg] (East "
                                f"positive); got {self.longitude_deg!r}")
        if not -12000.0 <= self.altitude_m <= 1.0e5:
            raise ArgumentError(f"Site: altitude_m must lie in [-12000, 100000] [m]; got "
                                f"{self.altitude_m!r}")


def as_site(site, func="as_site"):
    """``site`` as a :class:`Site`, from a Site or (latitude_deg, longitude_deg[, altitude_m])."""
    if isinstance(site, Site):
        return site
    try:
        return Site(*site)
    except TypeError:
        raise ArgumentError(f"{func}: site={site!r} is not a Site or a tuple (latitude_deg, "
                            f"longitude_deg[, altitude_m])") from None


@contextlib.contextmanager
def _offline_astropy():
    """Scope in which astropy works offline on its bundled IERS data, silently (module doc)."""
    from astropy.utils import iers
    from astropy.utils.exceptions import AstropyWarning
    from erfa import ErfaWarning

    with contextlib.ExitStack() as stack:
        stack.enter_context(iers.conf.set_temp("auto_download", False))
        stack.enter_context(iers.conf.set_temp("auto_max_age", None))
        stack.enter_context(iers.conf.set_temp("iers_degraded_accuracy", "warn"))
        stack.enter_context(warnings.catch_warnings())
        warnings.filterwarnings("ignore", category=iers.IERSWarning)
        warnings.filterwarnings("ignore", category=iers.IERSDegradedAccuracyWarning)
        warnings.filterwarnings("ignore", category=ErfaWarning, message=".*dubious year.*")
        warnings.filterwarnings("ignore", category=AstropyWarning,
                                message=r"(?is).*(IERS|polar motion|leap.second).*")
        yield


def _plain_time(value):
    """datetime.date (not datetime) → datetime at 00:00; everything else unchanged."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return _dt.datetime(value.year, value.month, value.day)
    return value


def _to_time(time_utc, func):
    """astropy Time (scale UTC) from the user's time(s); call inside :func:`_offline_astropy`."""
    from astropy.time import Time

    if isinstance(time_utc, Time):
        return time_utc.utc
    value = _plain_time(time_utc)
    if isinstance(value, (list, tuple)):
        value = [_plain_time(v) for v in value]
    if isinstance(value, np.ndarray) and value.dtype == object:
        value = np.vectorize(_plain_time, otypes=[object])(value)
    try:
        t = Time(value, scale="utc")
    except (ValueError, TypeError):
        raise ArgumentError(f"{func}: time_utc={time_utc!r} is not a UTC time (ISO string, "
                            f"datetime, numpy.datetime64) or an array of them") from None
    if t.size == 0:
        raise ArgumentError(f"{func}: time_utc is empty")
    return t


def utc_times(time_utc):
    """The user's UTC time(s) as numpy.datetime64[ms] (same shape; a 0-d array for a scalar).

    Parameters
    ----------
    time_utc : str, datetime, numpy.datetime64, astropy Time, or an array/list of them [UTC]

    Returns
    -------
    numpy.ndarray of datetime64[ms], shape of ``time_utc``
    """
    with _offline_astropy():
        t = _to_time(time_utc, "utc_times")
        return np.asarray(t.to_value("datetime64"), dtype="datetime64[ms]")


def altaz_to_enu(altitude_deg, azimuth_deg):
    """Unit vector(s) towards altitude/azimuth, in East-North-Up.

    Parameters
    ----------
    altitude_deg, azimuth_deg : float or array (broadcast) [deg]; azimuth from North towards East

    Returns
    -------
    numpy.ndarray, shape (..., 3) [1]: (cos h sin A, cos h cos A, sin h)
    """
    h = np.radians(np.asarray(altitude_deg, float))
    a = np.radians(np.asarray(azimuth_deg, float))
    h, a = np.broadcast_arrays(h, a)
    return np.stack([np.cos(h) * np.sin(a), np.cos(h) * np.cos(a), np.sin(h)], axis=-1)


def enu_to_lab(vectors_enu, azimuth_deg=0.0):
    """Components of East-North-Up vectors in an apparatus frame rotated about the vertical.

    The apparatus is turned by ``azimuth_deg`` about Up in the compass sense (from North towards
    East, i.e. clockwise seen from above): its y axis points to compass azimuth ``azimuth_deg``,
    its x axis to ``azimuth_deg + 90°``, its z axis Up. ``azimuth_deg = 0`` is East-North-Up itself.

    Parameters
    ----------
    vectors_enu : array (..., 3) [any unit]
    azimuth_deg : float [deg]

    Returns
    -------
    numpy.ndarray (..., 3), the same vectors in the apparatus frame
    """
    v = np.asarray(vectors_enu, float)
    if v.shape[-1:] != (3,):
        raise ArgumentError(f"enu_to_lab: vectors_enu must have a last axis of length 3; got shape "
                            f"{v.shape}")
    a = np.radians(float(azimuth_deg))
    x_axis = np.array([np.cos(a), -np.sin(a), 0.0])
    y_axis = np.array([np.sin(a), np.cos(a), 0.0])
    return np.stack([v @ x_axis, v @ y_axis, v[..., 2]], axis=-1)


def _location(site):
    import astropy.units as u
    from astropy.coordinates import EarthLocation

    return EarthLocation.from_geodetic(lon=site.longitude_deg * u.deg,
                                       lat=site.latitude_deg * u.deg, height=site.altitude_m * u.m)


def sun_altaz(time_utc, site):
    """Topocentric geometric altitude, azimuth and distance of the Sun's centre.

    Uses ``astropy.coordinates.get_sun`` (apparent geocentric position, light-time and aberration
    included) transformed to ``AltAz`` at the site without refraction, offline (module doc).

    Parameters
    ----------
    time_utc : str, datetime, numpy.datetime64 or an array of them [UTC], shape T
    site : Site or (latitude_deg, longitude_deg[, altitude_m])

    Returns
    -------
    altitude_deg, azimuth_deg : numpy.ndarray, shape T [deg] (azimuth from North towards East)
    distance_au : numpy.ndarray, shape T [au] (site to Sun's centre)

    Notes
    -----
    Accuracy of a few arcsec (module doc); tested: solstice noon altitude within 0.05°.
    """
    import astropy.units as u
    from astropy.coordinates import AltAz, get_sun

    site = as_site(site, "sun_altaz")
    with _offline_astropy():
        t = _to_time(time_utc, "sun_altaz")
        aa = get_sun(t).transform_to(AltAz(obstime=t, location=_location(site)))
        return (np.asarray(aa.alt.to_value(u.deg)), np.asarray(aa.az.to_value(u.deg)),
                np.asarray(aa.distance.to_value(u.au)))


def sun_enu(time_utc, site):
    """Unit vector(s) from the site towards the Sun's centre in East-North-Up, and the distance.

    Parameters
    ----------
    time_utc : str, datetime, numpy.datetime64 or an array of them [UTC], shape T
    site : Site or (latitude_deg, longitude_deg[, altitude_m])

    Returns
    -------
    direction : numpy.ndarray, shape T + (3,) [1]
    distance_au : numpy.ndarray, shape T [au]
    """
    alt, az, dist = sun_altaz(time_utc, site)
    return altaz_to_enu(alt, az), dist


def radec_to_enu(ra_deg, dec_deg, time_utc, site):
    """Unit vector(s) FROM the lab TOWARDS a fixed sky point (ICRS), in East-North-Up.

    Parameters
    ----------
    ra_deg, dec_deg : float or array [deg], ICRS right ascension and declination (at infinity)
    time_utc : str, datetime, numpy.datetime64 or an array of them [UTC]; broadcast with ra/dec
    site : Site or (latitude_deg, longitude_deg[, altitude_m])

    Returns
    -------
    numpy.ndarray, shape broadcast(ra, dec, time) + (3,) [1]

    Notes
    -----
    Geometric (no refraction); annual aberration and precession/nutation included by astropy.
    """
    import astropy.units as u
    from astropy.coordinates import ICRS, AltAz

    site = as_site(site, "radec_to_enu")
    ra = np.asarray(ra_deg, float)
    dec = np.asarray(dec_deg, float)
    if np.any(np.abs(dec) > 90) or not np.all(np.isfinite(ra)):
        raise ArgumentError(f"radec_to_enu: dec_deg must lie in [-90, 90] and ra_deg be finite "
                            f"[deg]; got ra_deg={ra_deg!r}, dec_deg={dec_deg!r}")
    with _offline_astropy():
        t = _to_time(time_utc, "radec_to_enu")
        aa = ICRS(ra=ra * u.deg, dec=dec * u.deg).transform_to(
            AltAz(obstime=t, location=_location(site)))
        return altaz_to_enu(aa.alt.to_value(u.deg), aa.az.to_value(u.deg))


def galactic_centre_radec_deg():
    """ICRS (RA, Dec) [deg] of the Galactic centre, (l, b) = (0, 0) (astropy's Galactic frame).

    Returns
    -------
    (float, float) [deg]: about (266.405, −28.936). Sgr A* lies 0.07° away, at (l, b) ≈
    (359.944°, −0.046°).
    """
    import astropy.units as u
    from astropy.coordinates import ICRS, Galactic

    with _offline_astropy():
        c = Galactic(l=0 * u.deg, b=0 * u.deg).transform_to(ICRS())
        return float(c.ra.to_value(u.deg)), float(c.dec.to_value(u.deg))


def galactic_to_enu(l_deg, b_deg, time_utc, site):
    """Unit vector(s) FROM the lab TOWARDS Galactic coordinates (l, b) [deg], in East-North-Up.

    Returns
    -------
    numpy.ndarray, shape broadcast(l, b, time) + (3,) [1]
    """
    import astropy.units as u
    from astropy.coordinates import ICRS, Galactic

    with _offline_astropy():
        c = Galactic(l=np.asarray(l_deg, float) * u.deg,
                     b=np.asarray(b_deg, float) * u.deg).transform_to(ICRS())
        ra, dec = c.ra.to_value(u.deg), c.dec.to_value(u.deg)
    return radec_to_enu(ra, dec, time_utc, site)


def galactic_centre_enu(time_utc, site):
    """Unit vector(s) FROM the lab TOWARDS the Galactic centre, in East-North-Up; shape T + (3,)."""
    return galactic_to_enu(0.0, 0.0, time_utc, site)
