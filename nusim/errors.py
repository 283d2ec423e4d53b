"""Typed exceptions of nusim. The library raises these; only ``cli.py`` formats them for users."""


class NusimError(Exception):
    """Base class of every error nusim raises on purpose."""


class ConfigError(NusimError, ValueError):
    """A study or apparatus file is malformed: names the file, the dotted field and what to do."""

    def __init__(self, path, field, message):
        self.path, self.field = str(path), field
        super().__init__(f"{path}: {field}: {message}")


class GeometryError(NusimError, ValueError):
    """A mesh or shape fails a named check: names the file, the body and the check.

    Attributes ``path`` (file, or "<in-memory mesh>"), ``body`` (body name or None), ``check``
    (one of "load", "unit", "degenerate_faces", "watertight", "winding", "zero_volume",
    "inverted").
    """

    def __init__(self, path, body, check, message):
        self.path, self.body, self.check = str(path), body, check
        where = f"bodies.{body}.mesh" if body is not None else "mesh"
        super().__init__(f"{path}: {where}: {check}: {message}")


class NumericsError(NusimError, ArithmeticError):
    """A numerical method could not reach its stated accuracy."""


class ArgumentError(NusimError, ValueError):
    """A function was called with a bad argument: the message names the function, the argument
    and what to give instead."""


class ArgumentTypeError(ArgumentError, TypeError):
    """A function was given an object of a type it does not handle (e.g. an unknown angular
    profile class). Also a ``TypeError``, so callers that catch either keep working."""


class DataError(NusimError, RuntimeError):
    """A data table shipped with nusim (``nusim/sources/data/``) is damaged or has the wrong
    shape: names the file and what was expected. Reinstall nusim; not a user input error."""


class ClusterError(NusimError, RuntimeError):
    """The Dask cluster a study was sent to cannot be reached or lost its tasks: names the
    scheduler address (or the local cluster) and what to do."""


class StudyInterruptedError(NusimError, RuntimeError):
    """A study stopped before its end (Ctrl-C): names the task cache that keeps the finished
    tasks and how to resume (``nusim run STUDY --resume``)."""
