"""Reading TOML files (study and apparatus files): a missing or malformed file is a ConfigError
naming the file; what the file says is validated by the schema (:mod:`nusim.schema`)."""

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
