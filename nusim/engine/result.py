"""Monte Carlo estimates from independent replicas, and the upper-bound rule.

R independent replicas x_1 … x_R (each a full pair sum with its own samples) give the estimate
x̄ = mean and its standard error σ = s/√R, s the sample standard deviation (ddof = 1). A value
with |x̄| < 2σ is reported as an upper bound, |x| < |x̄| + t σ with t the two-sided 95 % Student
quantile for R − 1 degrees of freedom (t = 2.36 for R = 8; → 1.96 as R → ∞), so the bound is
honest for the few replicas we run.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from nusim.errors import ArgumentError

#: |value| < UPPER_BOUND_SIGMAS × error → the value is reported as an upper bound
UPPER_BOUND_SIGMAS = 2.0
#: confidence of the reported upper bound
BOUND_CONFIDENCE = 0.95


def _student_t(replicas):
    return float(stats.t.ppf(0.5 + BOUND_CONFIDENCE / 2, replicas - 1))


def _fmt(value, error, unit):
    """'(v ± e)e±XX unit' with the error to two significant figures."""
    if not (error > 0 and math.isfinite(error)):
        return f"{value:.6g} ± {error:.2g} {unit}"
    exp = int(math.floor(math.log10(max(abs(value), error))))
    scale = 10.0**exp
    decimals = max(0, exp - int(math.floor(math.log10(error))) + 1)
    return f"({value / scale:.{decimals}f} ± {error / scale:.{decimals}f})e{exp:+03d} {unit}"


@dataclass(frozen=True)
class Estimate:
    """One Monte Carlo figure: value ± error (standard error of the mean over replicas).

    ``value``, ``error`` in ``unit``; ``n_samples`` samples per replica (``samples_label`` says
    of what: points per body by default), ``replicas`` independent replicas, ``seed`` the study
    seed. ``exact_zero_reason``: set when the value is 0 exactly for a stated reason (printed
    '= 0 exactly (reason)'); ``trusted`` False when the replica error is known to be unreliable
    (``untrusted_reason`` says why; printed and serialised). Replicas all exactly 0 without
    such a reason are no measurement (``is_blind``): never shown or serialised as '0 ± 0'.
    """

    name: str
    value: float
    error: float
    unit: str
    n_samples: int
    replicas: int
    seed: int
    #: the replica values themselves (empty for combined figures): sums and fits over
    #: correlated estimates (common random numbers) need them
    replica_values: tuple = field(default=(), repr=False, compare=False)
    exact_zero_reason: str | None = None
    trusted: bool = True
    untrusted_reason: str | None = None
    samples_label: str = "samples/body"
    #: a systematic error the method knows of (e.g. a finite-difference step's measured bias),
    #: in ``unit``; ``error`` already includes it (in quadrature with the replica error)
    systematic: float = 0.0

    @classmethod
    def from_replicas(cls, name, values, unit, n_samples, seed, *, exact_zero_reason=None,
                      trusted=True, untrusted_reason=None, samples_label="samples/body",
                      systematic=0.0):
        """Mean and standard error of the mean of the replica ``values`` (R ≥ 2), with a known
        ``systematic`` added in quadrature to the error.

        Replicas all exactly 0 are an exact zero only with ``exact_zero_reason``; otherwise the
        estimate is marked untrusted (no sample contributed: its error 0 means nothing)."""
        v = np.asarray(values, dtype=np.float64)
        if v.ndim != 1 or v.size < 2:
            raise ArgumentError(f"Estimate.from_replicas: {name}: need at least 2 replica values, "
                                f"got shape {v.shape}.")
        all_zero = bool(np.all(v == 0))
        if exact_zero_reason is not None and not all_zero:
            raise ArgumentError(f"Estimate.from_replicas: {name}: exact_zero_reason given but the "
                                f"replicas are not all 0 ({v.tolist()}).")
        if all_zero and exact_zero_reason is None and trusted:
            trusted, untrusted_reason = False, (
                untrusted_reason or "every replica is exactly 0: no sample contributed, so "
                "the value and its error say nothing")
        stat = float(v.std(ddof=1) / math.sqrt(v.size))
        sys_ = abs(float(systematic))
        return cls(name, float(v.mean()), math.hypot(stat, sys_), unit,
                   int(n_samples), int(v.size), int(seed), tuple(float(x) for x in v),
                   exact_zero_reason=exact_zero_reason, trusted=bool(trusted),
                   untrusted_reason=None if trusted else untrusted_reason,
                   samples_label=samples_label, systematic=sys_)

    @property
    def statistical_error(self):
        """The replica (statistical) part of ``error`` [unit]."""
        return math.sqrt(max(self.error**2 - self.systematic**2, 0.0))

    @property
    def is_blind(self):
        """True when the replicas were all exactly 0 with no reason for an exact zero (set by
        :meth:`from_replicas`, which then marks the estimate untrusted)."""
        return (self.value == 0 and self.error == 0 and self.exact_zero_reason is None
                and not self.trusted)

    @property
    def is_upper_bound(self):
        """True when |value| < 2 error: the value is reported as an upper bound."""
        return (abs(self.value) < UPPER_BOUND_SIGMAS * self.error
                and self.exact_zero_reason is None)

    @property
    def bound(self):
        """|value| + t₉₅(R−1) error, the 95 % upper bound on |value| [unit]."""
        return abs(self.value) + _student_t(self.replicas) * self.error

    def summary(self):
        """'name = (v ± e)e±XX unit (N samples × R replicas)' or '|name| < b unit (95 %) …'."""
        tail = (f"({self.n_samples} {self.samples_label} × {self.replicas} replicas, "
                f"seed {self.seed})")
        flag = "" if self.trusted else f" [UNTRUSTED: {self.untrusted_reason}]"
        if self.systematic > 0:
            tail = f"(incl. systematic {self.systematic:.2g} {self.unit}) " + tail
        if self.exact_zero_reason is not None:
            return f"{self.name} = 0 exactly ({self.exact_zero_reason}) {tail}"
        if self.is_blind:
            return f"{self.name}: not resolved {tail}{flag}"
        if self.is_upper_bound:
            return f"|{self.name}| < {self.bound:.2g} {self.unit} (95 %) {tail}{flag}"
        return f"{self.name} = {_fmt(self.value, self.error, self.unit)} {tail}{flag}"

    def to_dict(self):
        """JSON-ready; an unresolved estimate (``is_blind``) has error None, not 0."""
        return {"value": self.value, "error": None if self.is_blind else self.error,
                "unit": self.unit, "upper_bound": self.bound if self.is_upper_bound else None,
                "n_samples": self.n_samples, "samples_label": self.samples_label,
                "replicas": self.replicas, "seed": self.seed,
                "exact_zero_reason": self.exact_zero_reason, "trusted": self.trusted,
                "untrusted_reason": self.untrusted_reason, "systematic": self.systematic}


@dataclass(frozen=True)
class InteractionResult:
    """Energy, force on the targets and torque about the axis, each with its replica error.

    ``energy_J``/``energy_err_J`` [J]; ``force_N``/``force_err_N`` (3,) [N], the force ON the
    targets; ``torque_Nm``/``torque_err_Nm`` [N m] about ``axis`` (None when no axis was given);
    ``n_samples`` per body, ``replicas``, ``seed``, ``kernel`` (its description), ``method``,
    ``axis`` ((point_m, direction) or None), ``replica_values`` (per-replica energies, forces,
    torques, for inspection).
    """

    energy_J: float
    energy_err_J: float
    force_N: np.ndarray
    force_err_N: np.ndarray
    torque_Nm: float | None
    torque_err_Nm: float | None
    n_samples: int
    replicas: int
    seed: int
    kernel: dict = field(default_factory=dict)
    method: str = "random"
    axis: tuple | None = None
    replica_values: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_replicas(cls, energies, forces, torques, *, n_samples, seed, kernel=None,
                      method="random", axis=None):
        """Combine R ≥ 2 replicas: energies (R,), forces (R, 3), torques (R,) or None."""
        e = Estimate.from_replicas("energy_J", energies, "J", n_samples, seed)
        f = np.asarray(forces, dtype=np.float64)
        if f.ndim != 2 or f.shape[1] != 3 or f.shape[0] != e.replicas:
            raise ArgumentError(f"InteractionResult.from_replicas: forces must be "
                                f"({e.replicas}, 3), got {f.shape}.")
        f_mean = f.mean(axis=0)
        f_err = f.std(axis=0, ddof=1) / math.sqrt(e.replicas)
        f_mean.flags.writeable = False
        f_err.flags.writeable = False
        tq = tq_err = None
        if torques is not None:
            t = Estimate.from_replicas("torque_Nm", torques, "N m", n_samples, seed)
            tq, tq_err = t.value, t.error
        reps = {"energy_J": [float(x) for x in energies], "force_N": f.tolist(),
                "torque_Nm": None if torques is None else [float(x) for x in torques]}
        return cls(e.value, e.error, f_mean, f_err, tq, tq_err, e.n_samples, e.replicas,
                   e.seed, dict(kernel or {}), method, axis, reps)

    def estimate(self, name):
        """The ``Estimate`` of "energy_J", "torque_Nm" or a force component "force_N[0|1|2]"."""
        if name == "energy_J":
            v, err, unit = self.energy_J, self.energy_err_J, "J"
        elif name == "torque_Nm":
            if self.torque_Nm is None:
                raise ArgumentError("torque_Nm: no axis was given to interact(), so there is no "
                                    "torque; pass axis=(point_m, direction).")
            v, err, unit = self.torque_Nm, self.torque_err_Nm, "N m"
        elif name in ("force_N[0]", "force_N[1]", "force_N[2]"):
            k = int(name[-2])
            v, err, unit = float(self.force_N[k]), float(self.force_err_N[k]), "N"
        else:
            raise ArgumentError(f"estimate name={name!r} is not known; choose one of "
                                "['energy_J', 'force_N[0]', 'force_N[1]', 'force_N[2]', "
                                "'torque_Nm'].")
        return Estimate(name, v, err, unit, self.n_samples, self.replicas, self.seed)

    def _names(self):
        names = ["energy_J", "force_N[0]", "force_N[1]", "force_N[2]"]
        return names + (["torque_Nm"] if self.torque_Nm is not None else [])

    def is_upper_bound(self, name):
        """|value| < 2 error for "energy_J", "torque_Nm", "force_N[k]"; for "force_N" a (3,)
        bool array, one per component."""
        if name == "force_N":
            return np.array([self.estimate(f"force_N[{k}]").is_upper_bound for k in range(3)])
        return self.estimate(name).is_upper_bound

    def summary(self):
        """One line per figure: value ± error, or the 95 % bound when within 2σ of zero."""
        return "\n".join(self.estimate(n).summary() for n in self._names())

    def to_dict(self):
        """JSON-ready dict: every figure with its error, the configuration and replica values."""
        out = {n: self.estimate(n).to_dict() for n in self._names()}
        out.update({"n_samples": self.n_samples, "replicas": self.replicas, "seed": self.seed,
                    "kernel": self.kernel, "method": self.method,
                    "axis": None if self.axis is None else
                    {"point_m": [float(x) for x in self.axis[0]],
                     "direction": [float(x) for x in self.axis[1]]},
                    "replica_values": self.replica_values})
        return out
