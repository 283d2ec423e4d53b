"""One schema for nusim's input files, declared once with pydantic: study files
(:mod:`nusim.schema.study`) and apparatus files (:mod:`nusim.schema.apparatus`). Every error is a
:class:`~nusim.errors.ConfigError` naming the file and the dotted field (:mod:`nusim.schema.core`);
the documentation of both files is generated from the models (:mod:`nusim.schema.docs`)."""

from nusim.schema.core import validate

__all__ = ["validate"]
