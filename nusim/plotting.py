"""Matplotlib figures only; no physics. Imported lazily by the CLI and studies."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


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
