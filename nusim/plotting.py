"""Matplotlib figures only; no physics. Imported lazily by the CLI and studies."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def paper_figure_3(data, path):
    """Figure 3 of the founding paper: −I(ℓ, α)/π³ against ℓ for several α; PNG at ``path``."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4), constrained_layout=True)
    for label, curve in data["curves"].items():
        ax.plot(data["ell"], curve, label=f"α = {label}°")
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel(r"$r$  [$E_\nu^{-1}$]")
    ax.set_ylabel(r"$V_{\rm bkg}(r,\alpha)$  [$E_\nu$; factor $G_F^2 g_V^1 g_V^2 \Phi_0 E_\nu$ omitted]")
    ax.set_title("Directional background potential (paper fig. 3; eq. 4.5 with 4.8)")
    ax.legend()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def paper_figure_4(data, path):
    """Figure 4 of the founding paper: ℓ·I from eq. (4.8) (points) vs eq. (4.11) (line)."""
    curves = data["curves"]
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.4), sharex=True, constrained_layout=True)
    for ax, (label, c) in zip(axes.flat, curves.items()):
        ax.plot(data["ell_line"], c["ell_I_eq_4_11"], color="tab:red", lw=1.2,
                label="eq. (4.11)")
        ax.plot(data["ell_points"], c["ell_I_eq_4_8"], ".", color="tab:blue", ms=5,
                label="eq. (4.8), quadrature")
        ax.set_title(f"α = {label}°")
        ax.set_ylabel(r"$\ell\,\mathcal{I}(\ell,\alpha)$")
    for ax in axes[-1]:
        ax.set_xlabel(r"$\ell = E_\nu r$")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Long-distance form vs eq. (4.8) (paper fig. 4)")
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def source_spectra(curves, path, title="Neutrino spectra"):
    """All spectra on one log-log figure. curves: {label: (energy_MeV, dΦ/dE, lines)} with lines
    a list of (energy_MeV, flux_per_cm2_s) drawn as vertical markers [cm⁻² s⁻¹]."""
    fig, ax = plt.subplots(figsize=(7.5, 5), constrained_layout=True)
    for label, (e, y, lines) in curves.items():
        mask = y > 0
        (line,) = ax.loglog(e[mask], y[mask], label=label)
        for e_l, f_l in lines:
            ax.vlines(e_l, f_l * 1e-3, f_l, color=line.get_color(), lw=2)
    ax.set_xlabel("E_ν [MeV]")
    ax.set_ylabel("dΦ/dE [cm⁻² s⁻¹ MeV⁻¹]  (lines: Φ [cm⁻² s⁻¹])")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def sun_track(hours, altitude_deg, azimuth_deg, axis_angle_deg, path, title):
    """The Sun's 24-hour track: altitude/azimuth and the angle between the neutrino direction of
    travel and a chosen apparatus axis, against UTC hour."""
    fig, axes = plt.subplots(3, 1, figsize=(7.5, 7.5), sharex=True, constrained_layout=True)
    axes[0].plot(hours, altitude_deg)
    axes[0].axhline(0, color="0.5", lw=0.6)
    axes[0].set_ylabel("altitude [deg]")
    az = np.array(azimuth_deg, float)
    az[1:][np.abs(np.diff(az)) > 180] = np.nan          # do not draw the 360° → 0° wrap
    axes[1].plot(hours, az)
    axes[1].set_ylabel("azimuth [deg, N→E]")
    axes[2].plot(hours, axis_angle_deg)
    axes[2].set_ylabel("α to apparatus axis [deg]")
    axes[2].set_xlabel("hour of day [UTC]")
    axes[0].set_title(title)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def apparatus_3d(meshes, path, title, axis=None):
    """A 3-D picture of an apparatus. meshes: list of (label, role, vertices (v, 3) [m],
    faces (f, 3)) in the lab frame; axis: optional (point_m, direction) drawn as a line."""
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    colours = {"pendulum": "tab:blue", "attractor": "tab:red", "fixed": "0.6"}
    fig = plt.figure(figsize=(7, 6), constrained_layout=True)
    ax = fig.add_subplot(projection="3d")
    lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
    for label, role, verts, faces in meshes:
        mm = np.asarray(verts) * 1e3
        poly = Poly3DCollection(mm[np.asarray(faces)], alpha=0.55, linewidths=0.1,
                                edgecolor="k", facecolor=colours.get(role, "0.5"))
        ax.add_collection3d(poly)
        c = mm.mean(axis=0)
        ax.text(c[0], c[1], mm[:, 2].max(), label, fontsize=7)
        lo, hi = np.minimum(lo, mm.min(axis=0)), np.maximum(hi, mm.max(axis=0))
    if axis is not None:
        p, d = np.asarray(axis[0]) * 1e3, np.asarray(axis[1])
        span = (hi - lo).max()
        seg = np.array([p - 0.6 * span * d, p + 0.6 * span * d])
        ax.plot(*seg.T, "k--", lw=1, label="fibre axis")
        ax.legend(fontsize=8)
    centre, half = (lo + hi) / 2, (hi - lo).max() / 2 * 1.1
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[1] - half, centre[1] + half)
    ax.set_zlim(centre[2] - half, centre[2] + half)
    ax.set_xlabel("x (East) [mm]")
    ax.set_ylabel("y (North) [mm]")
    ax.set_zlabel("z (Up) [mm]")
    ax.set_title(title)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def torque_vs_angle(angle_deg, torque_Nm, err_Nm, path, title):
    """Fibre torque against attractor angle with 1σ replica error bars."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2), constrained_layout=True)
    ax.errorbar(angle_deg, torque_Nm, yerr=err_Nm, fmt="o-", capsize=3)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel("attractor angle [deg]")
    ax.set_ylabel("torque on the pendulum [N m]")
    ax.set_title(title)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
