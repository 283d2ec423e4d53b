"""Matplotlib figures only; no physics. Imported lazily by the CLI and studies."""

import math

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


def _line_parts(line):
    """(energy_MeV, flux_per_cm2_s, name) of a line given as a tuple or a dict."""
    if isinstance(line, dict):
        return float(line["energy_MeV"]), float(line["flux_per_cm2_s"]), line.get("name", "")
    e, f, *rest = line
    return float(e), float(f), (rest[0] if rest else "")


def source_spectra(curves, path, title="Neutrino spectra"):
    """All spectra on one log-log figure: the continuum as dΦ/dE [cm⁻² s⁻¹ MeV⁻¹] (left axis)
    and monochromatic lines as stems at their energies with their flux Φ [cm⁻² s⁻¹] on a
    secondary (right) axis, each labelled with its name.

    curves: {label: (energy_MeV (n,), dΦ/dE (n,), lines)}; lines a list of
    (energy_MeV, flux_per_cm2_s[, name]) tuples or dicts with those keys.
    """
    fig, ax = plt.subplots(figsize=(7.5, 5), constrained_layout=True)
    stems = []                                   # (energy, flux, name, colour, curve label)
    for label, (e, y, lines) in curves.items():
        e, y = np.asarray(e, float), np.asarray(y, float)
        mask = y > 0
        (line,) = ax.loglog(e[mask], y[mask], label=f"{label}: dΦ/dE")
        stems += [(*_line_parts(ln), line.get_color(), label) for ln in lines]
    ax.set_xlabel("E_ν [MeV]")
    ax.set_ylabel("continuum dΦ/dE [cm⁻² s⁻¹ MeV⁻¹]")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    if stems:
        ax2 = ax.twinx()
        ax2.set_yscale("log")
        fluxes = np.array([s[1] for s in stems])
        top = fluxes[fluxes > 0].max() if np.any(fluxes > 0) else 1.0
        low = fluxes[fluxes > 0].min() if np.any(fluxes > 0) else 1.0
        bottom = min(low / 30, top * 1e-3)
        ax2.set_ylim(bottom, top * 8)
        seen_curve, labelled = set(), {}
        for e_l, f_l, name, colour, label in stems:
            if not f_l > 0:
                continue
            first = label not in seen_curve
            seen_curve.add(label)
            ax2.vlines(e_l, bottom, f_l, color=colour, lw=1.6, gid="line-stem",
                       label=f"{label}: lines Φ (right axis)" if first else None)
            ax2.plot([e_l], [f_l], "o", color=colour, ms=5, gid="line-stem-head")
            key = (name or f"{e_l:.4g} MeV", round(e_l, 6))
            labelled[key] = max(labelled.get(key, 0.0), f_l)
        for (name, e_l), f_l in labelled.items():
            ax2.annotate(f"{name}\n{e_l:.3g} MeV", (e_l, f_l), xytext=(4, 4),
                         textcoords="offset points", fontsize=7, va="bottom", ha="left")
        ax2.set_ylabel("line flux Φ [cm⁻² s⁻¹]  (stems)")
        # keep the stems' axis below the continuum's grid; one legend for both axes
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax2.legend(h1 + h2, l1 + l2, fontsize=8, loc="lower left")
    elif ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def relic_background(momentum_eV, dn_dk_per_cm3_eV, rows, path, *, temperature_eV, title,
                     note=""):
    """The relic (CνB) background: its Fermi–Dirac momentum distribution and a table of the
    mass eigenstates (no beam spectrum: the background is isotropic and non-relativistic).

    momentum_eV (n,) [eV]; dn_dk_per_cm3_eV: {label: (n,) [cm⁻³ eV⁻¹]} curves; rows: list of
    table rows (first row the header) of strings.
    """
    fig, (ax, tx) = plt.subplots(1, 2, figsize=(11, 4.6), constrained_layout=True,
                                 gridspec_kw={"width_ratios": [1.15, 1]})
    k = np.asarray(momentum_eV, float)
    for label, y in dn_dk_per_cm3_eV.items():
        ax.plot(k * 1e3, np.asarray(y, float), label=label)
    ax.axvline(temperature_eV * 1e3, color="0.5", ls=":", lw=1,
               label=f"T_ν = {temperature_eV * 1e3:.4g} meV")
    ax.set_xscale("log")
    ax.set_xlabel("momentum κ [meV]")
    ax.set_ylabel("dn/dκ [cm⁻³ meV⁻¹]")
    ax.set_title("Fermi–Dirac momentum distribution (eq. 3.4, μ = 0)", fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    tx.axis("off")
    table = tx.table(cellText=[list(r) for r in rows[1:]], colLabels=list(rows[0]),
                     loc="upper center", cellLoc="center")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.4)
    tx.set_title("per mass eigenstate (ν + ν̄)", fontsize=10)
    if note:
        tx.text(0.02, 0.35, note, transform=tx.transAxes, fontsize=9, va="top")
    fig.suptitle(title)
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


def _length_unit(span_m):
    """(name, metres per unit) for axis labels of an object ``span_m`` across."""
    if span_m < 0.3:
        return "mm", 1e-3
    if span_m < 3.0:
        return "cm", 1e-2
    return "m", 1.0


def _format_distance(d_m):
    if d_m >= 1e3:
        return f"{d_m / 1e3:.3g} km"
    if d_m >= 1:
        return f"{d_m:.3g} m"
    return f"{d_m * 100:.3g} cm"


def apparatus_3d(meshes, path, title, axis=None, *, beam_direction=None,
                 source_position_m=None, source_label=None):
    """A 3-D picture of an apparatus at equal scale on all three axes.

    meshes: list of (label, role, vertices (v, 3) [m], faces (f, 3)) in the lab frame
    (x East, y North, z Up); axis: optional (point_m (3,), direction (3,)) drawn as a dashed
    line; beam_direction: optional (3,) direction of travel of the neutrinos, drawn as an arrow
    through the apparatus centre; source_position_m: optional (3,) [m] position of the source
    (``source_label`` names it). A source farther than the apparatus is large is not drawn at
    true scale: an arrow from the apparatus edge points towards it, labelled with its distance.
    Axis units are mm or cm (m for large set-ups), whichever fits.
    """
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    colours = {"pendulum": "tab:blue", "attractor": "tab:red", "fixed": "0.6"}
    lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
    for _, _, verts, _ in meshes:
        v = np.asarray(verts, float)
        lo, hi = np.minimum(lo, v.min(axis=0)), np.maximum(hi, v.max(axis=0))
    if not np.all(np.isfinite(lo)):
        lo, hi = np.full(3, -0.05), np.full(3, 0.05)
    unit, scale = _length_unit(float((hi - lo).max()))
    lo, hi = lo / scale, hi / scale
    centre = (lo + hi) / 2
    radius = max(float(np.linalg.norm(hi - lo)) / 2, 1e-9)     # half the apparatus diagonal

    fig = plt.figure(figsize=(8, 6.5))
    ax = fig.add_subplot(projection="3d")
    # one collection for all bodies, so the faces of different bodies are depth-sorted together
    polys, face_colours = [], []
    for label, role, verts, faces in meshes:
        v = np.asarray(verts, float) / scale
        tri = v[np.asarray(faces)]
        polys.append(tri)
        face_colours += [colours.get(role, "0.5")] * len(tri)
        c = v.mean(axis=0)
        ax.text(c[0], c[1], v[:, 2].max(), label, fontsize=7, zorder=10)
    if polys:
        ax.add_collection3d(Poly3DCollection(np.concatenate(polys), facecolors=face_colours,
                                             alpha=0.5, linewidths=0.05, edgecolor="k"))
    for role, colour in colours.items():
        if any(m[1] == role for m in meshes):
            ax.plot([], [], "s", color=colour, alpha=0.6, label=role)
    ext_lo, ext_hi = lo.copy(), hi.copy()                     # what the limits must show

    def include(points):
        nonlocal ext_lo, ext_hi
        pts = np.atleast_2d(points)
        ext_lo, ext_hi = np.minimum(ext_lo, pts.min(axis=0)), np.maximum(ext_hi, pts.max(axis=0))

    if axis is not None:
        p, d = np.asarray(axis[0], float) / scale, np.asarray(axis[1], float)
        d = d / np.linalg.norm(d)
        seg = np.array([p - 1.1 * radius * d, p + 1.1 * radius * d])
        ax.plot(*seg.T, "k--", lw=1, label="fibre axis")
        include(seg)
    if beam_direction is not None:
        b = np.asarray(beam_direction, float)
        b = b / np.linalg.norm(b)
        tail, head = centre - 1.3 * radius * b, centre + 1.3 * radius * b
        ax.quiver(*tail, *(head - tail), color="darkorange", lw=2.2, arrow_length_ratio=0.12,
                  label="ν beam (direction of travel)", gid="beam-arrow")
        include([tail, head])
    if source_position_m is not None:
        s = np.asarray(source_position_m, float) / scale
        to_src = s - centre
        dist = float(np.linalg.norm(to_src)) * scale
        name = source_label or "source"
        if np.linalg.norm(to_src) <= 2.5 * radius:            # close: draw it where it is
            ax.scatter(*s, marker="*", s=160, color="gold", edgecolor="k", zorder=12,
                       label=f"{name} ({_format_distance(dist)} from centre)", gid="source")
            include(s)
        else:                                                  # far: an arrow towards it
            u = to_src / np.linalg.norm(to_src)
            start, stop = centre + 1.4 * radius * u, centre + 2.1 * radius * u
            ax.quiver(*start, *(stop - start), color="purple", lw=2, arrow_length_ratio=0.3,
                      label=f"towards the {name}, {_format_distance(dist)} away (not to scale)",
                      gid="source-arrow")
            ax.text(*(stop + 0.08 * radius * u), f"{name}\n{_format_distance(dist)}",
                    color="purple", fontsize=8, ha="center", zorder=12)
            include([start, stop])
    # equal scale: each axis' limits span its data range (at least 40 % of the largest, so a
    # flat set-up stays visible), and the box aspect is set to those spans
    span = (ext_hi - ext_lo) * 1.08
    span = np.maximum(span, 0.4 * span.max())
    mid = (ext_lo + ext_hi) / 2
    ax.set_xlim(mid[0] - span[0] / 2, mid[0] + span[0] / 2)
    ax.set_ylim(mid[1] - span[1] / 2, mid[1] + span[1] / 2)
    ax.set_zlim(mid[2] - span[2] / 2, mid[2] + span[2] / 2)
    ax.set_box_aspect(tuple(span / span.max()))
    ax.set_xlabel(f"x (East) [{unit}]")
    ax.set_ylabel(f"y (North) [{unit}]")
    ax.set_zlabel(f"z (Up) [{unit}]")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(-0.1, 1.0))
    fig.savefig(path, dpi=150, bbox_inches="tight", pad_inches=0.25)
    plt.close(fig)
    return path


def _bound_marker():
    """A marker path: a bar at the bound with an arrow pointing down from it (origin on the bar)."""
    from matplotlib.path import Path as MPath

    verts = [(-0.45, 0), (0.45, 0), (0, 0), (0, -1), (-0.3, -0.62), (0, -1), (0.3, -0.62)]
    codes = [MPath.MOVETO, MPath.LINETO, MPath.MOVETO, MPath.LINETO, MPath.MOVETO,
             MPath.LINETO, MPath.LINETO]
    return MPath(verts, codes)


def _series_parts(s):
    if isinstance(s, dict):
        return (s["label"], s["values"], s["errors"], s.get("is_bound"),
                s.get("bound_label", "upper bound on |value|"))
    label, values, errors, *rest = s
    return label, values, errors, (rest[0] if rest else None), "upper bound on |value|"


def torque_curve(x, series, path, *, xlabel, ylabel, title, n_samples_note, marker_size=6):
    """One or more series with 1σ error bars against ``x``, and bounds as downward arrows.

    series: list of dicts {"label", "values" (n,), "errors" (n,), optional "is_bound" (n,) bool,
    optional "bound_label"} (or tuples (label, values, errors[, is_bound])). A point with
    is_bound True is drawn as a bar at its value with an arrow pointing down (the value is an
    upper bound, e.g. |τ| < 2σ), without an error bar. n_samples_note: a line with the sample
    counts (e.g. "2048 points per body × 8 replicas"), shown under the title. When every error
    bar is shorter than its marker, the legend says so (the bars are drawn but hidden).
    """
    x = np.asarray(x, float)
    fig, ax = plt.subplots(figsize=(6.8, 4.6), constrained_layout=True)
    ax.axhline(0, color="0.6", lw=0.6)
    drawn = []                      # (container, label, x, y, err) of the error-barred series
    bound_marker = _bound_marker()
    for i, s in enumerate(series):
        label, values, errors, is_bound, bound_label = _series_parts(s)
        y, e = np.asarray(values, float), np.abs(np.asarray(errors, float))
        b = np.zeros(y.shape, bool) if is_bound is None else np.asarray(is_bound, bool)
        colour = f"C{i}"
        ok = ~b
        if np.any(ok):
            ax.plot(x[ok], y[ok], "-", color=colour, lw=0.8, alpha=0.6)
            cont = ax.errorbar(x[ok], y[ok], yerr=e[ok], fmt="o", ms=marker_size, capsize=3,
                               elinewidth=1.3, color=colour, label=f"{label} (±1σ)")
            drawn.append((cont, label, x[ok], y[ok], e[ok]))
        if np.any(b):
            ax.plot(x[b], y[b], linestyle="none", marker=bound_marker, ms=2.8 * marker_size,
                    mew=1.6, color=colour, gid="bound", label=f"{label}: {bound_label}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(f"{title}\n{n_samples_note}", fontsize=10)
    ax.grid(True, alpha=0.25)
    fig.canvas.draw()                               # final limits and layout
    to_px = ax.transData.transform
    marker_px = marker_size / 2 * fig.dpi / 72
    hidden = []
    for cont, label, xs, ys, es in drawn:
        bar_px = np.abs(to_px(np.c_[xs, ys + es])[:, 1] - to_px(np.c_[xs, ys])[:, 1])
        if np.all(bar_px < marker_px):
            cont.set_label(f"{label} (±1σ bars smaller than the markers)")
            hidden.append(label)
    if drawn and len(hidden) == len(drawn):
        ax.text(0.01, 0.01, "all error bars are smaller than the markers", fontsize=8,
                transform=ax.transAxes, va="bottom", ha="left", color="0.3", gid="errors-note")
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


def torque_vs_angle(angle_deg, torque_Nm, err_Nm, path, title, *, n_samples_note=None,
                    is_bound=None, label="torque"):
    """Fibre torque against attractor angle with 1σ replica error bars (see
    :func:`torque_curve`; kept for existing callers)."""
    return torque_curve(angle_deg, [{"label": label, "values": torque_Nm, "errors": err_Nm,
                                     "is_bound": is_bound}], path,
                        xlabel="attractor angle [deg]", ylabel="torque on the pendulum [N m]",
                        title=title, n_samples_note=n_samples_note or
                        "sample counts: see results.json (config.apparatus_torque)")


#: label offsets (points) of the table-4 entries on figure 5, chosen so that no two collide
_FIG5_LABEL_OFFSETS = {"washington-2007": (-8, 8, "right"), "washington-1999": (8, -4, "left"),
                       "irvine-1985-near": (-10, -12, "right"), "irvine-1985-far": (0, 9, "center"),
                       "wuhan-2012": (-8, -3, "right"), "wuhan-2020": (8, -3, "left"),
                       "washington-2020": (8, -3, "left"), "levitated-2021": (8, -3, "left")}


def _extra_point_parts(i, point):
    """(name, r_m, value, error or None, is_bound) of an extra figure-5 point, validated."""
    if isinstance(point, dict):
        try:
            name, r_m, value = point["name"], point["r_m"], point["value"]
        except KeyError as exc:
            raise ValueError(f"paper_figure_5: extra_points[{i}]: missing key {exc.args[0]!r}; "
                             "give name, r_m, value and optionally error, is_bound") from None
        error, is_bound = point.get("error"), bool(point.get("is_bound", False))
    elif isinstance(point, (tuple, list)) and len(point) in (3, 4, 5):
        name, r_m, value, error, is_bound = (*point, None, False)[:5] if len(point) == 3 else \
            (*point, False)[:5]
        is_bound = bool(is_bound)
    else:
        raise ValueError(f"paper_figure_5: extra_points[{i}]={point!r}: give a dict or a tuple "
                         "(name, r_m, value[, error[, is_bound]])")
    for what, v in (("r_m", r_m), ("value", value)):
        if not isinstance(v, (int, float, np.floating)) or not np.isfinite(v) or v <= 0:
            raise ValueError(f"paper_figure_5: extra_points[{i}] ({name!r}): {what}={v!r} must be "
                             "a positive finite number (log axes)")
    if error is not None and (not np.isfinite(error) or error < 0):
        raise ValueError(f"paper_figure_5: extra_points[{i}] ({name!r}): error={error!r} must be "
                         ">= 0 or None")
    return str(name), float(r_m), float(value), (None if error is None else float(error)), \
        is_bound


def figure_5_axes(data, extra_points=None):
    """Figure 5 of the founding paper as a matplotlib (figure, axes), not saved.

    data: ``paper_figures.figure_5`` output (lines, table-4 points). extra_points: optional list
    of points to add (e.g. nusim's realistic values), each a dict {"name", "r_m" [m], "value" [1],
    optional "error" [1] (1σ), optional "is_bound" (True: value is an upper bound)} or a tuple
    (name, r_m, value[, error[, is_bound]]). Values are drawn as diamonds with error bars, bounds
    as a bar with a downward arrow (gid "extra-value" / "extra-bound").
    """
    parts = [_extra_point_parts(i, p) for i, p in enumerate(extra_points or [])]
    fig, ax = plt.subplots(figsize=(9.0, 6.2), constrained_layout=True)
    ax.set_xscale("log")
    ax.set_yscale("log")
    colours = iter(["tab:purple", "tab:red", "tab:orange", "tab:brown", "tab:green", "tab:cyan",
                    "tab:blue", "tab:pink", "tab:olive", "tab:gray"])
    for line in data["lines"]:
        style = "--" if line["dashed"] else ("-." if "delta_z_over_a" in line else "-")
        ax.hlines(line["delta_v_over_v"], line["r_min_m"], line["r_max_m"], colors=next(colours),
                  lw=2.2, linestyles=style, label=f"{line['name']}: {line['delta_v_over_v']:.2g}")
    for q in data["points"]:
        lo, hi = q["r_range_m"] or (q["r_m"], q["r_m"])
        ax.errorbar(q["r_m"], q["delta_v_over_v"], xerr=[[q["r_m"] - lo], [hi - q["r_m"]]],
                    fmt="o", color="black", ms=6, capsize=3, gid="table4",
                    label="table 4 sensitivity" if q is data["points"][0] else None)
        dx, dy, ha = _FIG5_LABEL_OFFSETS.get(q["key"], (8, -3, "left"))
        ax.annotate(f"{q['name']} ({q['r_text']})", (q["r_m"], q["delta_v_over_v"]),
                    xytext=(dx, dy), textcoords="offset points", fontsize=8, ha=ha)
    marker = _bound_marker()
    extra_colours = ["magenta", "darkgreen", "navy", "darkorange", "teal", "crimson", "olive",
                     "indigo"]
    grouped = bool(extra_points) and all(isinstance(q, dict) and "experiment" in q
                                         for q in extra_points)
    if grouped:
        _grouped_extra_points(ax, data, extra_points, parts, marker)
        parts_drawn = []
    else:
        parts_drawn = parts
    for k, (name, r_m, value, error, is_bound) in enumerate(parts_drawn):
        colour = extra_colours[k % len(extra_colours)]
        ax.annotate(name, (r_m, value), xytext=(9, 4), textcoords="offset points", fontsize=7.5,
                    color=colour)
        if is_bound:
            ax.plot([r_m], [value], linestyle="none", marker=marker, ms=16, mew=1.6, color=colour,
                    gid="extra-bound", label=f"{name} (upper bound)")
        else:
            err = None if error is None else [[min(error, 0.999 * value)], [error]]
            ax.errorbar([r_m], [value], yerr=err, fmt="D", ms=7, capsize=3, color=colour,
                        gid="extra-value", label=f"{name}" + (" (±1σ)" if error else ""))
    r_all = [x for line in data["lines"] for x in (line["r_min_m"], line["r_max_m"])]
    ax.set_xlim(min(r_all), max(r_all))
    y_all = ([line["delta_v_over_v"] for line in data["lines"]]
             + [q["delta_v_over_v"] for q in data["points"]] + [p[2] for p in parts])
    ax.set_ylim(min(y_all) / 10, max(y_all) * 10)

    ax.set_xlabel(r"separation $r$  [m]")
    ax.set_ylabel(r"$\delta V / V_{\rm gravity}$")
    ax.set_title("Neutrino force (α = 0, eq. 5.3) against fifth-force sensitivities "
                 "(paper fig. 5)\n"
                 f"point-like sources, α = 0: an upper bound of the effect (eq. 4.14); "
                 f"g₁g₂ = {data.get('coupling_factor', 1):g} per nucleon pair", fontsize=10)
    ax.grid(True, which="major", alpha=0.25)
    if grouped:
        ax.set_ylabel(r"$\delta V / V_{\rm gravity}$ (lines, table 4);  $\delta$ on each "
                      "experiment's observable (nusim)")
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles, labels, fontsize=7, loc="upper right", ncol=2, framealpha=0.9)
    else:
        ax.legend(fontsize=7.5, loc="upper right", ncol=1, framealpha=0.9)
    return fig, ax


#: marker and horizontal offset (factor on r) of a realistic point by its source
_SOURCE_STYLE = {"reactor": ("D", 0.7), "sun": ("o", 1.0), "supernova": ("s", 1.4)}


def _grouped_extra_points(ax, data, extra_points, parts, bound_marker):
    """Realistic points grouped: one colour per experiment, one marker per source (shifted
    sideways so they do not overlap), a dotted line down from the experiment's table-4 point
    (the gap), no per-point labels (legend entries instead)."""
    from matplotlib.lines import Line2D

    colours = plt.get_cmap("tab10")
    experiments = list(dict.fromkeys(q["experiment"] for q in extra_points))
    sources = list(dict.fromkeys(q["source"] for q in extra_points))
    for q, (_, r_m, value, error, is_bound) in zip(extra_points, parts, strict=True):
        c = colours(experiments.index(q["experiment"]) % 10)
        m, shift = _SOURCE_STYLE.get(q["source"], ("^", 1.0))
        x = r_m * shift
        if is_bound:
            ax.plot([x], [value], linestyle="none", marker=bound_marker, ms=14, mew=1.6,
                    color=c, gid="extra-bound")
        else:
            err = None if error is None else [[min(error, 0.999 * value)], [error]]
            ax.errorbar([x], [value], yerr=err, fmt=m, ms=6.5, capsize=2.5, color=c,
                        mec="black", mew=0.5, gid="extra-value")
    for name in experiments:
        pts = [(q, pt) for q, pt in zip(extra_points, parts, strict=True)
               if q["experiment"] == name]
        r_m = pts[0][1][1]
        top = min((t["delta_v_over_v"] for t in data["points"]
                   if math.isclose(t["r_m"], r_m, rel_tol=1e-6)), default=None)
        low = min(pt[2] for _, pt in pts)
        if top is not None:
            ax.plot([r_m, r_m], [low, top], ls=":", lw=1.0,
                    color=colours(experiments.index(name) % 10), zorder=1)
        ax.plot([], [], ls="none", marker="D", color=colours(experiments.index(name) % 10),
                label=f"nusim: {name}")
    handles = [Line2D([], [], ls="none", marker=_SOURCE_STYLE.get(src, ("^", 1.0))[0],
                      color="grey", label=src) for src in sources]
    handles.append(Line2D([], [], ls="none", marker=bound_marker, ms=12, color="grey",
                          label="upper bound (95 %)"))
    ax.add_artist(ax.legend(handles=handles, fontsize=7, loc="lower left",
                            title="source (nusim points)", title_fontsize=7, framealpha=0.9))
    counts = sorted({q["samples"] for q in extra_points if q.get("samples")})
    if counts:
        reps = sorted({q["replicas"] for q in extra_points if q.get("replicas")})
        ax.text(0.995, 0.005, f"nusim: {counts[0]:,}–{counts[-1]:,} samples × "
                f"{'/'.join(map(str, reps))} replicas per term; bars 1σ, bounds 95 %",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="dimgray")


def paper_figure_5(data, path, extra_points=None):
    """Figure 5 of the founding paper (see :func:`figure_5_axes`); PNG at ``path``."""
    fig, _ = figure_5_axes(data, extra_points)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path


# -- the smearing study (nusim.studies.smearing_study) ----------------------------------------

_SMEARING_MARKERS = ("o", "s", "D", "^", "P", "d", "h", "*", "p", "<")


def _smearing_floor(scans):
    """A y value below every drawn |fraction| (for zeros and unresolved points)."""
    ys = [abs(f["value"]) for s in scans for r in s["points"] for f in [r["fraction"]]
          if f["value"] and f["upper_bound"] is None and f["exact_zero"] is None]
    ys += [f["upper_bound"] for s in scans for r in s["points"] for f in [r["fraction"]]
           if f["upper_bound"] is not None]
    return max(min(ys) / 30, 1e-300) if ys else 1e-30


def _smearing_points(ax, xs, fracs, colour, marker, floor, label):
    """|fraction| with 1σ bars; open marker for a negative value; bounds as arrows; exact
    zeros and unresolved points as crosses on the floor."""
    done = False
    bm = _bound_marker()
    for x, f in zip(xs, fracs, strict=True):
        lab = None if done else label
        if f["not_resolved"] or f["exact_zero"] is not None:
            ax.plot(x, floor, "x", color=colour, ms=7, label=lab)
        elif f["upper_bound"] is not None:
            ax.plot(x, f["upper_bound"], marker=bm, ls="none", color=colour, ms=10, mew=1.4,
                    label=lab)
        else:
            v = f["value"]
            ax.errorbar(x, abs(v), yerr=f["error"] or None, fmt=marker, color=colour,
                        mfc=colour if v > 0 else "white", mec=colour, ms=6, capsize=2,
                        label=lab)
        done = True


def _smearing_legend_extras():
    from matplotlib.lines import Line2D

    return [Line2D([], [], ls="none", marker="o", color="0.3", mfc="white",
                   label="open: U opposite in sign to $U_{\\alpha=0}$"),
            Line2D([], [], ls="none", marker=_bound_marker(), color="0.3", ms=10,
                   label="95 % upper bound on |fraction|"),
            Line2D([], [], ls="none", marker="x", color="0.3",
                   label="exact zero / not resolved (drawn on the floor)")]


def smearing_criterion(data, path, *, title, caption):
    """Two panels: |U/U_(α=0)| against the criterion variable x = α²Δ(Er)/π (the paper's
    criterion x = 1 drawn) and against the Fresnel number N_F (point pairs, N_F = 0, in a strip
    on the left). ``data``: the smearing study's reduced dict."""
    import textwrap

    scans = data["scans"]
    floor = _smearing_floor(scans)
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(15, 6.8), constrained_layout=True)
    colours = plt.cm.tab10(np.linspace(0, 1, 10))
    nf_pos = [r["fresnel_number"] for s in scans for r in s["points"] if r["fresnel_number"] > 0]
    nf_zero = min(nf_pos) / 300 if nf_pos else 1e-3
    for k, s in enumerate(scans):
        col, mk = colours[k % 10], _SMEARING_MARKERS[k % len(_SMEARING_MARKERS)]
        fr = [r["fraction"] for r in s["points"]]
        xs = [max(r["criterion"]["x"], 1e-300) for r in s["points"]]
        n = len(fr)
        label = f"[{s['regime']}] {s['name']} ({n} pts)"
        _smearing_points(ax_a, xs, fr, col, mk, floor, label)
        nfs = [r["fresnel_number"] if r["fresnel_number"] > 0 else nf_zero for r in s["points"]]
        _smearing_points(ax_b, nfs, fr, col, mk, floor, label)
    for name, curve in data.get("reference_curves", {}).items():
        ax_a.plot(curve["x"], curve["y"], curve.get("style", "-"), color="0.35", lw=1.2,
                  label=name)
    ax_a.axvline(1.0, color="crimson", lw=1.6, ls="--",
                 label=r"paper's criterion $\alpha^2\Delta(Er) = \pi$ (eq. 4.14)")
    ax_a.set_xlabel(r"criterion variable $x = \Delta(\alpha^2 E r)/\pi$  (rms spread over "
                    "energies, directions, positions)")
    ax_a.set_title("(a) against the criterion variable of eq. 4.14")
    if nf_pos:
        ax_b.axvline(nf_zero * 10, color="0.5", lw=0.8)
        ax_b.text(nf_zero, 0.5, "point pairs\n($N_F = 0$)", rotation=90, ha="center",
                  va="center", fontsize=8, transform=ax_b.get_xaxis_transform())
        big = sorted(x for x in nf_pos if x > 10)
        rows = [(r["fresnel_number"], abs(r["fraction"]["value"])) for s in scans
                for r in s["points"] if r["fresnel_number"] > 10 and r["fraction"]["value"]
                and r["fraction"]["upper_bound"] is None]
        if big and rows:
            x0, y0 = min(rows, key=lambda t: t[0])
            xs = np.geomspace(big[0], big[-1], 20)
            ax_b.plot(xs, 10 * y0 * (x0 / xs) ** 2, ":", color="0.3",
                      label=r"$\propto N_F^{-2}$ (guide, offset ×10)")
        ax_b.axvline(1.0, color="0.5", lw=1.0, ls="-.", label="$N_F = 1$")
    ax_b.set_xlabel(r"Fresnel number $N_F = E a^2/D$  (a the source sphere radius)")
    ax_b.set_title("(b) against the Fresnel number of the bodies")
    for ax in (ax_a, ax_b):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(floor / 3, 3.0)
        ax.set_ylabel(r"surviving fraction $|U/U_{\alpha=0}|$")
        ax.grid(True, which="major", alpha=0.3)
    handles, labels = ax_a.get_legend_handles_labels()
    ax_a.legend(handles + _smearing_legend_extras(), labels + [h.get_label() for h in
                                                             _smearing_legend_extras()],
                fontsize=7, loc="lower left")
    ax_b.legend(fontsize=7, loc="lower left")
    fig.suptitle(title + "\n" + "\n".join(textwrap.wrap(caption, 170)), fontsize=10)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def smearing_scans(data, path, *, title, caption):
    """One panel per scanned variable: |U/U_(α=0)| against it, point pairs and bodies together,
    each series labelled with its dominant factor; the last panel states which factor dominates
    where."""
    import textwrap

    scans = data["scans"]
    floor = _smearing_floor(scans)
    variables = list(dict.fromkeys(s["variable"] for s in scans))
    n = len(variables) + 1
    ncol = 3
    nrow = -(-n // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(16, 4.6 * nrow), constrained_layout=True)
    axes = np.atleast_1d(axes).ravel()
    colours = {"point": "tab:blue", "bodies": "tab:red"}
    for ax, var in zip(axes, variables, strict=False):
        mine = [s for s in scans if s["variable"] == var]
        pos = [r["value"] for s in mine for r in s["points"] if r["value"] > 0]
        zero_at = min(pos) / 10 if pos else 1.0
        for k, s in enumerate(mine):
            main = s["conclusion"]["dominant_factor"] or "none"
            c = s["conclusion"].get("constancy")
            tag = ("" if c is None else "; flat within errors" if c["unchanged_within_errors"]
                   else "; not flat")
            xs = [r["value"] if r["value"] > 0 else zero_at for r in s["points"]]
            _smearing_points(ax, xs, [r["fraction"] for r in s["points"]],
                             colours[s["regime"]], "o" if k == 0 else "s", floor,
                             f"[{s['regime']}] {s['name']} ({len(xs)} pts; dominant: {main}{tag})")
        if any(r["value"] == 0 for s in mine for r in s["points"]):
            ax.axvline(zero_at * 3, color="0.6", lw=0.8)
            ax.text(zero_at, 0.02, "0", ha="center", transform=ax.get_xaxis_transform())
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(floor / 3, 3.0)
        ax.set_xlabel(mine[0]["label"])
        ax.set_ylabel(r"$|U/U_{\alpha=0}|$")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7, loc="best")
    for ax in axes[len(variables):]:
        ax.axis("off")
    axes[len(variables)].text(0.0, 1.0, "\n".join(textwrap.wrap(
        "Which factor dominates where: " + data["overall"], 70)), va="top", ha="left",
        fontsize=8.5, transform=axes[len(variables)].transAxes)
    axes[0].legend(handles=axes[0].get_legend_handles_labels()[0] + _smearing_legend_extras(),
                   fontsize=7, loc="best")
    fig.suptitle(f"{title}\n{caption}", fontsize=10)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
