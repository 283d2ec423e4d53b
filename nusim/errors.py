"""Typed exceptions of nusim. The library raises these; only ``cli.py`` formats them for users."""


class NusimError(Exception):
    """Base class of every error nusim raises on purpose."""


class ConfigError(NusimError, ValueError):
    """A study or apparatus file is malformed: names the file, the dotted field and what to do."""

    def __init__(self, path, field, message):
        self.path, self.field = str(path), field
        super().__init__(f"{path}: {field}: {message}")


class NumericsError(NusimError, ArithmeticError):
    """A numerical method could not reach its stated accuracy."""


class ArgumentError(NusimError, ValueError):
    """A function was called with a bad argument: the message names the function, the argument
    and what to give instead."""
