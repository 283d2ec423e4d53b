"""The machinery every schema of nusim shares: a base table model, typed fields with bounds and
allowed values, and the one error path from pydantic to :class:`~nusim.errors.ConfigError`.

Why pydantic (v2): the study and apparatus files are declared once, as models with a type, a
default, bounds and a one-line description per key; ``extra="forbid"`` rejects unknown keys;
model validators hold the cross-field rules; the same declarations give the JSON schema and the
generated documentation (``python -m nusim.schema.docs``); and it is a widely used, well kept
library. nusim's messages are its own: :func:`validate` turns the first pydantic error into a
``ConfigError(path, dotted.field[index].sub, message)`` that lists allowed keys and values and
keeps the unit hints, and no pydantic traceback reaches the user.
"""

import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, \
    model_validator
from pydantic_core import PydanticCustomError, core_schema

from nusim.errors import ConfigError

#: the hint every length error carries
METRES_HINT = "Lengths are in metres: 1 cm is 0.01"


def fail(message, field=None):
    """Raise the schema's error: ``message`` as the user reads it; ``field`` (a key, or a tuple
    of keys and indices) names the field below the model being validated."""
    if field is not None and not isinstance(field, tuple):
        field = (field,)
    raise PydanticCustomError("nusim", "{message}", {"message": message, "field": field})


def fmt_number(x):
    """A bound as the messages print it: 100, 0.5, 1e8, 1e-300."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e5:
        x = int(x)
    s = f"{x:g}"
    return s.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


def mark_bounds(bounds, js):
    """The JSON schema ``js`` with the ``ge``/``gt``/``le``/``lt`` of ``bounds`` marked."""
    for key, name in (("ge", "minimum"), ("gt", "exclusiveMinimum"), ("le", "maximum"),
                      ("lt", "exclusiveMaximum")):
        if getattr(bounds, key) is not None:
            js[name] = getattr(bounds, key)
    return js


@dataclass(frozen=True)
class Range:
    """Bounds of a number (``ge``/``gt``/``le``/``lt``), with ``what`` (unit and meaning) for the
    message, or ``msg`` to say it otherwise; also marks the JSON schema."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    what: str = ""
    msg: str | None = None
    hint: str = ""

    def holds(self, v):
        return ((self.ge is None or v >= self.ge) and (self.gt is None or v > self.gt)
                and (self.le is None or v <= self.le) and (self.lt is None or v < self.lt))

    def text(self):
        """The interval: "[2, 1000]", "(0, 1)", "> 0", "≥ 2"."""
        lo = self.ge if self.ge is not None else self.gt
        hi = self.le if self.le is not None else self.lt
        if lo is not None and hi is not None:
            return (("[" if self.ge is not None else "(") + f"{fmt_number(lo)}, {fmt_number(hi)}"
                    + ("]" if self.le is not None else ")"))
        if lo is not None:
            return ("≥ " if self.ge is not None else "> ") + fmt_number(lo)
        if hi is not None:
            return ("≤ " if self.le is not None else "< ") + fmt_number(hi)
        return "any value"

    def message(self, v):
        hint = f". {self.hint}" if self.hint else ""
        if self.msg:
            return f"{self.msg}, got {v!r}{hint}"
        interval = self.text()
        verb = "must lie in " if interval[0] in "[(" else "must be "
        what = f" {self.what}" if self.what else ""
        return f"{verb}{interval}{what}, got {v!r}{hint}"

    def check(self, v):
        if not self.holds(v):
            fail(self.message(v))
        return v

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        return mark_bounds(self, handler(schema))


@dataclass(frozen=True)
class Choice:
    """One of a set of names: ``values`` (a tuple, or a function returning one, evaluated at
    validation, so that the schema imports no heavy module); the message says
    "unknown <noun> 'x'. <label>: a, b, c<hint>"."""

    values: Any
    noun: str
    label: str = "Known"
    hint: str = ""
    sort: bool = False

    def allowed(self):
        vals = tuple(self.values() if callable(self.values) else self.values)
        return tuple(sorted(vals)) if self.sort else vals

    def message(self, v):
        if self.label is None:
            return f"unknown {self.noun} {v!r}. {self.hint}"
        return f"unknown {self.noun} {v!r}. {self.label}: {', '.join(self.allowed())}{self.hint}"

    def check(self, v):
        if v not in self.allowed():
            fail(self.message(v))
        return v

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        js = handler(schema)
        if not callable(self.values):
            js["enum"] = list(self.allowed())
        return js


def one_of(values, noun, label="Known", hint="", sort=False):
    """A string that must be one of ``values`` (see :class:`Choice`)."""
    return Annotated[str, Choice(values, noun, label, hint, sort)]


def number(kind=float, what="", msg=None, **bounds):
    """An int or float within ``bounds`` (ge, gt, le, lt); see :class:`Range`."""
    return Annotated[kind, Range(what=what, msg=msg, **bounds)]


def _is_number(v, kind=float):
    if isinstance(v, bool):
        return False
    if kind is int:
        return isinstance(v, int)
    return isinstance(v, (int, float)) and math.isfinite(v)


@dataclass(frozen=True)
class NumberList:
    """A list of numbers checked as a whole, so the message shows the list: ``kind`` int or
    float, each in ``bounds``, non-empty unless ``empty``, sorted if ``sort``."""

    kind: type = float
    what: str = "numbers"
    empty: bool = False
    sort: bool = False
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    msg: str | None = None
    keep: bool = False

    def check(self, v):
        r = Range(self.ge, self.gt, self.le, self.lt)
        ok = (isinstance(v, list) and (self.empty or v)
              and all(_is_number(x, self.kind) and r.holds(x) for x in v))
        if not ok:
            if self.msg:
                fail(f"{self.msg}, got {v!r}")
            text = r.text()
            within = ("" if text == "any value" else f" in {text}" if text[0] in "[(" else
                      f" {text}")
            some = "a list" if self.empty else "a non-empty list"
            fail(f"expected {some} of {self.what}{within}, got {v!r}")
        out = list(v) if self.keep else [self.kind(x) for x in v]
        return sorted(out) if self.sort else out

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_before_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        js = handler(schema)
        mark_bounds(self, js.setdefault("items", {}))
        if not self.empty:
            js["minItems"] = 1
        return js


def numbers(kind=float, what="numbers", **kw):
    """A list of numbers checked as a whole (see :class:`NumberList`); ``keep=True`` keeps the
    numbers as written (an int stays an int)."""
    item = int | float if kw.get("keep") else kind
    return Annotated[list[item], NumberList(kind, what, **kw)]


def _vector(nonzero=False, positive=False):
    def check(v):
        ok = (isinstance(v, list) and len(v) == 3 and all(_is_number(x) for x in v))
        if not ok:
            fail(f"expected 3 finite numbers [x, y, z], got {v!r}")
        if positive and any(x <= 0 for x in v):
            fail(f"every size must be positive [m], got {v!r}. {METRES_HINT}")
        if nonzero and not any(v):
            fail(f"must be a non-zero direction vector, e.g. [0.0, 0.0, 1.0], got {v!r}")
        return [float(x) for x in v]

    return Annotated[list[float], BeforeValidator(check), Field(min_length=3, max_length=3)]


#: three finite numbers [x, y, z]
Vector3 = _vector()
#: a direction: three finite numbers, not all zero
Direction = _vector(nonzero=True)
#: three positive edges [m]
Size3 = _vector(positive=True)


class Table(BaseModel):
    """A TOML table: strict types (an int is a float, nothing else is converted), no NaN or
    infinity, unknown keys rejected with the allowed ones listed."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False,
                              validate_default=False)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data):
        if not isinstance(data, dict):
            fail(f"expected a table, got {data!r}")
        allowed = tuple(cls.model_fields)
        extra = [k for k in data if k not in allowed]
        if extra:
            fail(f"unknown key. Allowed keys here: {', '.join(sorted(allowed))}",
                 field=(extra[0],))
        return data

    @classmethod
    def defaults(cls):
        """{key: default} of the keys that have a default (None where the default is None)."""
        return {k: copy.deepcopy(f.get_default(call_default_factory=True))
                for k, f in cls.model_fields.items() if not f.is_required()}


# ---------------------------------------------------------------------------------------------
# the one error path


_EXPECTED = {"float_type": "float", "float_parsing": "float", "int_type": "int",
             "int_parsing": "int", "int_from_float": "int", "string_type": "str",
             "bool_type": "bool", "bool_parsing": "bool", "list_type": "list",
             "dict_type": "a table", "model_type": "a table", "model_attributes_type": "a table",
             "date_type": "a date", "datetime_type": "a date and time"}


def _field_name(loc, prefix=""):
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def error_field_and_message(err, prefix="", tags=()):
    """(dotted field, message) of one pydantic error dict (``tags``: the discriminator values of
    tagged unions, which pydantic puts into the location after a list index)."""
    raw, loc = err["loc"], []
    for i, part in enumerate(raw):
        if isinstance(part, str) and part in tags and i and isinstance(raw[i - 1], int):
            continue
        loc.append(part)
    ctx = err.get("ctx") or {}
    typ = err["type"]
    if typ == "nusim":
        loc += list(ctx.get("field") or ())
        message = ctx["message"]
    elif typ == "missing":
        message = "missing required key"
    elif typ == "union_tag_not_found":
        loc.append(ctx["discriminator"].strip("'"))
        message = "missing required key"
    elif typ == "union_tag_invalid":
        loc.append(ctx["discriminator"].strip("'"))
        known = ", ".join(t.strip("'") for t in ctx["expected_tags"].split(", "))
        message = (f"unknown {ctx['discriminator'].strip(chr(39))} {ctx['tag']!r}. "
                   f"Known: {known}")
    elif typ in _EXPECTED:
        message = f"expected {_EXPECTED[typ]}, got {err['input']!r}"
    elif typ == "finite_number":
        message = f"expected a finite number, got {err['input']!r}"
    elif typ == "extra_forbidden":
        message = "unknown key"
    else:
        message = err["msg"]
    return _field_name(loc, prefix) or "<file>", message


#: every discriminator value of the tagged unions in the schemas (filled as they are declared)
TAGS = set()


def validate(model, data, path, prefix="", context=None):
    """``model`` (a Table class or a pydantic TypeAdapter) validated from ``data``; the first
    error as ``ConfigError(path, prefix.dotted.field[i].sub, message)``. ``context`` is given to
    the validators, with ``path`` (the file, for paths relative to it)."""
    ctx = {"path": Path(path), **(context or {})}
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate(data, context=ctx)
        return model.validate_python(data, context=ctx)
    except ValidationError as exc:
        field, message = error_field_and_message(exc.errors()[0], prefix, TAGS)
        raise ConfigError(path, field, message) from None


def relative_file(text, info, what, owner="study"):
    """The file ``text`` names, relative to the folder of the ``owner`` file being validated
    (``info.context["path"]``; absolute paths stay), as an absolute path: the validated
    configuration then means the same file wherever it is read (a Dask worker started in
    another folder, a resumed run started elsewhere); ``fail`` if there is no such file."""
    p = Path(text).expanduser()
    base = (info.context or {}).get("path") if info is not None else None
    if not p.is_absolute() and base is not None:
        p = Path(base).parent / p
    if not p.is_file():
        fail(f"{what} file {str(p)!r} not found (paths are relative to the {owner} file)")
    return p.resolve()
