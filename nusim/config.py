"""Reading TOML study files: unknown keys rejected, every error names the file and dotted field."""

import tomllib
from pathlib import Path

from nusim.errors import ConfigError


def load_toml(path, what="a study", example="runs/default.toml"):
    """Parse the TOML file at ``path`` into a dict; ConfigError on a missing or malformed file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(path, "<file>", f"no such file. Give the path of {what} TOML file, "
                          f"e.g. {example}")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "<syntax>", f"not valid TOML ({exc}). Fix the syntax at the "
                          "line and column given") from None


def take(table, key, kind, path, prefix, default=None, required=False):
    """``table[key]`` checked to be of type ``kind``; ConfigError naming ``prefix.key`` if not."""
    field = f"{prefix}.{key}" if prefix else key
    if key not in table:
        if required:
            raise ConfigError(path, field, "missing required key")
        return default
    value = table[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in kinds:
        names = " or ".join(k.__name__ for k in kinds)
        raise ConfigError(path, field, f"expected {names}, got {value!r}")
    return value


def reject_unknown(table, allowed, path, prefix):
    """ConfigError listing the allowed keys if ``table`` has any other key."""
    extra = sorted(set(table) - set(allowed))
    if extra:
        field = f"{prefix}.{extra[0]}" if prefix else extra[0]
        raise ConfigError(path, field, f"unknown key. Allowed keys here: {', '.join(sorted(allowed))}")
