"""Conformance area ``devices``: ``device=``, the ``.device`` of results, ``to_device`` and the info object's
devices, on every device the library lists (``__array_namespace_info__().devices()``; compared with ``==``).

Per listed device ``d``: every function with a ``device`` parameter (derived data; ``from_dlpack`` is the
``dlpack`` area's) called with ``device=d`` gives an array on ``d``, and one taking an input array (``*_like``,
``astype``, ``asarray``) without ``device=`` keeps the input's device; every other function returning arrays
(:data:`CALLS`, else its array parameters as small arrays on ``d``; :data:`LEFT_OUT` says why some are not)
gives results on ``d``; ``x.to_device(d2)`` for every pair is on ``d2`` with ``x``'s data and dtype; an array
created without ``device=`` is on ``default_device()``; ``default_dtypes(device=d)`` are the dtypes ``zeros``,
``asarray`` and ``argmax`` give on ``d``, and each dtype ``dtypes(device=d)`` lists can be created there;
arrays on two devices are mixed in ``add``, and a Python scalar with an array (2025.12).

Strength comes from the text (:data:`SENTENCES`, tested to occur in the standard): parameter, return and info
descriptions state what *is* (broken: ``violates``); the design topic's "Semantics" section "only gives
recommendations" (:data:`SHOULD`: not met is ``unspecified``). Results staying on their inputs' device is the
standard's own choice ("the convention that execution takes place on the same device where all argument arrays
are allocated"), not one of those recommendations; tril/triu's docstrings weaken it to "should". A call raising
on ``d`` but not on the default device is ``unspecified`` (no device must run every function), one raising
everywhere is no device matter (``n/a``), and so is an input the harness cannot place on ``d``; values that
cannot be read back (torch's ``meta`` tensors) leave the data rule ``unspecified``. Arrays without ``.device``
(Dask) get one ``n/a`` (``names`` reports the absence) and only the rules that need none. ``None`` listed as
a device (JAX: "no explicit placement") is recorded once and skipped.
"""

from __future__ import annotations

import numpy as np

from parity.conformance import Check, Raised, attempt
from parity.coverage import load_spec

#: The standard's sentences each rule quotes, by version where they differ (``**`` markup removed).
SENTENCES = {
    "created": "device on which to place the created array.",
    "returned": "device on which to place the returned array.",
    "inferred": "If ``device`` is ``None``, the output array device must be inferred from ``x``.",
    "inferred obj": "If ``device`` is ``None`` and ``obj`` is an array, the output array device must be inferred from "
                    "``obj``.",
    "valid": {"2024.12": "Each device object (see :ref:`device-support`) in the list of returned devices must be "
                         "an object which can be provided as a valid keyword-argument to array creation functions.",
              "2025.12": "Each device object (see :ref:`device-support`) in the tuple of returned devices must be "
                         "an object which can be provided as a valid keyword-argument to array creation functions."},
    "convention": "This standard chooses to add support for method 3 (local control), with the convention that "
                  "execution takes place on the same device where all argument arrays are allocated.",
    "tri": "The returned array should be allocated on the same device as ``x``.",
    "to_device": "an array with the same data and data type as ``self`` and located on the specified ``device``.",
    "default_device": "corresponding to the default device.",
    "default None": {"2025.12": "A conforming array library may return ``None`` if the default device is not "
                                "predictable due to library specific device placement rules."},
    "default_dtypes": "otherwise, the returned data types must be default data types specific to the specified device.",
    "dtypes": "otherwise, the returned data types must be supported data types specific to the specified device.",
    "mixed": "Raise an exception if an operation involves arrays on different devices (i.e. avoid implicit data "
             "transfer between devices).",
    "scalars": {"2025.12": "When a function accepts a mix of arrays and Python scalars, the scalars should inherit "
                           "the device of the arrays, much like what happens with :ref:`type-promotion`."},
}
#: Rules whose sentence is a recommendation ("should"): not met is ``unspecified``, never a violation.
SHOULD = {"tri", "mixed", "scalars"}

#: Input arrays a call is built from (name -> dtype, values); ``k`` takes the device's default index dtype.
INPUTS = {"x": ("float32", [0.25, 0.5, 0.75]), "m": ("float32", [[2.0, 1.0], [1.0, 3.0]]),
          "r": ("float32", [[0.25, 0.5, 0.75]]), "i": ("int32", [1, 0, 2]), "b": ("bool", [True, False, True]),
          "z": ("complex64", [1 + 1j, 0.5 + 0j, -1j]), "k": (None, [0, 2])}
#: How a function is called: its positional arguments (a str names an :data:`INPUTS` array, a list of them
#: a list of arrays, a dtype name the dtype, anything else is itself) and keyword arguments (``device=`` is
#: added by the check). A function not here gets its array parameters as :func:`_token` arrays.
D = "the device argument left out"
CALLS = {
    "arange": ((3,), {}), "asarray": (([0.5, 1.5],), {}), "astype": (("x", "float32"), {}), "empty": (((2,),), {}),
    "eye": ((2,), {}), "fft.fftfreq": ((4,), {}), "fft.rfftfreq": ((4,), {}), "full": (((2,), 1.5), {}),
    "full_like": (("x", 1.5), {}), "linspace": ((0.0, 1.0, 3), {}), "ones": (((2,),), {}), "zeros": (((2,),), {}),
    "broadcast_arrays": (("x", "x"), {}), "broadcast_to": (("x", (2, 3)), {}), "concat": ((["x", "x"],), {}),
    "expand_dims": (("x",), {"axis": 0}), "linalg.matrix_power": (("m", 2), {}), "moveaxis": (("m", 0, 1), {}),
    "permute_dims": (("m", (1, 0)), {}), "repeat": (("x", 2), {}), "reshape": (("x", (3, 1)), {}),
    "roll": (("x", 1), {}), "squeeze": (("r", 0), {}), "stack": ((["x", "x"],), {}), "take": (("x", "k"), {}),
    "take_along_axis": (("x", "k"), {}), "tile": (("x", (2,)), {}), "where": (("b", "x", "x"), {}),
    "meshgrid": (("x", "x"), {}), "linalg.cross": (("x", "x"), {}), "linalg.outer": (("x", "x"), {}),
    "linalg.vecdot": (("x", "x"), {}), "linalg.vector_norm": (("x",), {}),
}
#: Functions not called here, and why.
LEFT_OUT = {
    "from_dlpack": "the dlpack area checks from_dlpack(device=...)", "broadcast_shapes": "returns ints, no array",
    "__array_namespace_info__": "returns the inspection object (checked below), no array",
    **{f: "a data type function: returns no array" for f in ("can_cast", "finfo", "iinfo", "isdtype", "result_type")},
}
TOKENS = {"imag": "z", "real": "z", "conj": "z", "isin": "i"}
MATRIX = {"matmul", "matrix_transpose", "tensordot", "tril", "triu"}
REAL_FFT = {"fft.rfft", "fft.rfftn", "fft.ihfft", "fft.fftshift", "fft.ifftshift"}


def sentence(key: str, version: str) -> str | None:
    text = SENTENCES[key]
    return text.get(version) if isinstance(text, dict) else text


def _token(name: str, category: str) -> str:
    """The input a function's array parameter gets when :data:`CALLS` does not say."""
    if name in TOKENS or name.startswith(("bitwise_", "logical_")):
        return TOKENS.get(name) or ("i" if name.startswith("bitwise_") else "b")
    if category == "fft":
        return "x" if name in REAL_FFT else "z"
    return "m" if category == "linalg" or name in MATRIX else "x"


def recipe(entry: dict) -> tuple | None:
    """(args, kwargs) of a call to the function ``entry`` (derived data), or None when it cannot be built."""
    name = entry["name"]
    if name in LEFT_OUT:
        return None
    if name in CALLS:
        return CALLS[name]
    required = [p for p in entry["params"] if p["default"] is None]
    if any(p["name"] not in ("x", "x1", "x2") for p in required):
        return None
    return tuple(_token(name, entry["category"]) for _ in required), {}


# ---------------------------------------------------------------------------------- outcomes


class _Unplaced(Raised):
    """The harness could not put an input on the device (the creation rules report why)."""


def label(d) -> str:
    return repr(d).removeprefix("array_api_strict.")


def _device(a):
    return attempt(lambda: a.device)


def _same(a, b) -> bool:
    return attempt(lambda: bool(a == b)) is True


def _arrays(value) -> list:
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    return [value] if hasattr(value, "shape") and hasattr(value, "dtype") else []


class Devices:
    """The target's devices and how to put small arrays on them."""

    def __init__(self, target):
        self.target, self.ns = target, target.ns
        make = getattr(self.ns, "__array_namespace_info__", None)
        info = attempt(make) if make is not None else None
        self.info = None if isinstance(info, Raised) else info
        listed = attempt(self.info.devices) if self.info is not None else None
        self.listed = list(listed) if isinstance(listed, (list, tuple)) else None
        probe = attempt(self.ns.asarray, [0.0])
        self.has_device = not isinstance(_device(probe), Raised)
        if self.listed is None:  # no info object: the one device a default array lands on
            self.listed = [probe.device] if self.has_device else []
        self.devices = [d for d in self.listed if d is not None]
        default = attempt(self.info.default_device) if self.info is not None else None
        self.default = default if default is not None and not isinstance(default, Raised) else (
            self.devices[0] if self.devices else None)

    def index_dtype(self, d):
        dd = attempt(self.info.default_dtypes, device=d) if self.info is not None else None
        return dd["indexing"] if isinstance(dd, dict) and "indexing" in dd else self.target.dtype("int64")

    def put(self, token: str, d):
        """An array of ``INPUTS[token]`` on ``d`` (by ``asarray(device=)``, else ``to_device``), or None."""
        dtype, values = INPUTS[token]
        dt = self.index_dtype(d) if dtype is None else self.target.dtype(dtype)
        x = attempt(self.ns.asarray, values, dtype=dt, device=d)
        if not self.has_device:  # nothing to verify the placement by
            return None if isinstance(x, Raised) else x
        if isinstance(x, Raised) or not _same(_device(x), d):
            x = attempt(lambda: self.ns.asarray(values, dtype=dt).to_device(d))
        return None if isinstance(x, Raised) or not _same(_device(x), d) else x

    def arg(self, a, d):
        if isinstance(a, list) and all(isinstance(t, str) for t in a):
            return [self.put(t, d) for t in a]
        if isinstance(a, str) and a in INPUTS:
            return self.put(a, d)
        return self.target.dtype(a) if isinstance(a, str) else a

    def _has_dtypes(self, a) -> bool:
        """Whether the library has every dtype argument ``a`` (an input token, a list of them, a dtype name) needs."""
        if isinstance(a, list):
            return all(self._has_dtypes(t) for t in a)
        if not isinstance(a, str):
            return True
        dtype = INPUTS[a][0] if a in INPUTS else a
        return dtype is None or self.target.supports(dtype)

    def call(self, name: str, args, kwargs, d, device=D):
        """``name(*args, **kwargs)`` with inputs on ``d`` and ``device=`` as given (``D``: omitted)."""
        f = self.target.function(name)
        if f is None or not all(self._has_dtypes(a) for a in args):  # (no complex64 in ndonnx: not asked)
            return None
        built = [self.arg(a, d) for a in args]
        if any(b is None or (isinstance(b, list) and any(v is None for v in b)) for b in built):
            return _Unplaced(RuntimeError(f"no input could be placed on {label(d)}"))
        return attempt(f, *built, **kwargs, **({} if device is D else {"device": device}))


# ---------------------------------------------------------------------------------- checks


def _rule(function, rule, ok: bool, text, dtype=None, **failure) -> Check:
    """A rule the text states: ``conforms`` or ``violates`` with what broke it."""
    if ok:
        return Check(function, rule, "conforms", sentence=text, dtype=dtype)
    return Check(function, rule, "violates", sentence=text, dtype=dtype, follows="neither", **failure)


def _placed(function, rule, key, version, want, value, inputs: str) -> Check:
    """Whether every array of ``value`` is on ``want``."""
    text = sentence(key, version)
    arrays = _arrays(value)
    where = [_device(a) for a in arrays]
    if not arrays:
        return Check(function, rule, "n/a", sentence=text, input=inputs, library=f"no array: {value!r}"[:200])
    if all(_same(w, want) for w in where):
        return Check(function, rule, "conforms", sentence=text)
    verdict = "unspecified" if key in SHOULD else "violates"
    return Check(function, rule, verdict, sentence=text, input=inputs, required=f"on {label(want)}",
                 library="on " + ", ".join(label(w) for w in where), follows="neither",
                 elements=sum(not _same(w, want) for w in where), elements_total=len(where))


def _raising(function, rule, key, version, out, reference, inputs) -> Check:
    """A call that raised on a device: a violation of "valid keyword-argument" for ``device=``, else open."""
    text = sentence(key, version)
    if isinstance(out, _Unplaced):
        return Check(function, rule, "n/a", sentence=text, input=inputs, library=out.text)
    if not isinstance(reference, Raised) and key == "valid":
        return Check(function, rule, "violates", sentence=text, input=inputs, required="an array",
                     library=out.text, follows="neither", elements=1, elements_total=1)
    if isinstance(reference, Raised):
        return Check(function, rule, "n/a", sentence=text, input=inputs,
                     library=f"{out.text} (on the default device too)")
    return Check(function, rule, "unspecified", sentence=text, input=inputs, library=out.text,
                 required="the standard does not require every device to run every function")


def _creation(devs, entries, version):
    """Every function with ``device=``: ``device=d`` places it on ``d``; an input array's device is kept."""
    d0 = devs.default
    for e in entries:
        name = e["name"]
        args, kwargs = recipe(e)
        takes_array = any(isinstance(a, str) and a in INPUTS for a in args)
        key = "returned" if name == "astype" else "created"
        for d in devs.devices:
            src = d0 if takes_array else d
            inputs = f"{name}(..., device={label(d)})" + (f" of an array on {label(src)}" if takes_array else "")
            out = devs.call(name, args, kwargs, src, device=d)
            if out is None:
                continue
            rule = f"device=d places the result on d [d={label(d)}]"
            if isinstance(out, Raised):
                yield _raising(name, rule, "valid", version, out, devs.call(name, args, kwargs, d0), inputs)
            elif devs.has_device:
                yield _placed(name, rule, key, version, d, out, inputs)
            else:
                yield Check(name, rule, "conforms", sentence=sentence("valid", version))
            if takes_array and devs.has_device:  # no device=: the input's
                rule, inputs = f"device=None keeps the input array's device [d={label(d)}]", f"{name}(x on {label(d)})"
                out = devs.call(name, args, kwargs, d)
                yield (_raising(name, rule, "inferred", version, out, devs.call(name, args, kwargs, d0), inputs)
                       if isinstance(out, Raised) else _placed(name, rule, "inferred", version, d, out, inputs))
        if name == "asarray" and devs.has_device:
            for d in devs.devices:
                x = devs.put("x", d)
                if x is not None:
                    rule = f"device=None keeps the input array's device [d={label(d)}]"
                    yield _placed(name, rule, "inferred obj", version, d, attempt(devs.ns.asarray, x),
                                  f"asarray(x) of an array on {label(d)}")


def _results(devs, entries, version):
    """Every other function that returns arrays: results on the inputs' device."""
    for e in entries:
        (name, (args, kwargs)), key = (e["name"], recipe(e)), "tri" if e["name"] in ("tril", "triu") else "convention"
        for d in devs.devices:
            out = devs.call(name, args, kwargs, d)
            if out is None:
                continue
            rule = f"result on the inputs' device [d={label(d)}]"
            inputs = f"{name}({', '.join(map(str, args))}) with arrays on {label(d)}"
            if isinstance(out, Raised):
                reference = out if _same(d, devs.default) else devs.call(name, args, kwargs, devs.default)
                yield _raising(name, rule, key, version, out, reference, inputs)
            else:
                yield _placed(name, rule, key, version, d, out, inputs)


def _values(devs, y, d, want: np.ndarray):
    """Whether ``y`` holds ``want`` (read back, else compared on ``d`` by the library), or None: unreadable."""
    got = attempt(devs.target.to_numpy, y)
    if not isinstance(got, Raised):
        return got.shape == want.shape and bool(np.all(got == want))
    ref = devs.put("x", d)
    same = attempt(lambda: bool(devs.ns.all(devs.ns.equal(y, ref))))
    return same if isinstance(same, bool) else None


def _to_device(devs, version):
    text, (dtype, values) = sentence("to_device", version), INPUTS["x"]
    for d1 in devs.devices:
        x = devs.put("x", d1)
        if x is None:
            continue
        if not hasattr(x, "to_device"):
            yield Check("array.to_device", "exists", "n/a", required="the names area reports its absence")
            return
        for d2 in devs.devices:
            rule = f"to_device(d2) [{label(d1)} -> {label(d2)}]"
            inputs = f"{dtype} array {values} on {label(d1)}, to_device({label(d2)})"
            y = attempt(x.to_device, d2)
            if isinstance(y, Raised):
                yield _rule("array.to_device", f"{rule} is on d2", False, text, input=inputs,
                            required=f"an array on {label(d2)}", library=y.text)
                continue
            if not hasattr(y, "dtype"):  # marray 0.0.12's to_device returns None
                yield _rule("array.to_device", f"{rule} is on d2", False, text, input=inputs,
                            required=f"an array on {label(d2)}", library=f"returned {type(y).__qualname__}: {y!r:.80}")
                continue
            yield _placed("array.to_device", f"{rule} is on d2", "to_device", version, d2, y, inputs)
            same = _values(devs, y, d2, np.asarray(values, dtype=dtype)) if _same(y.dtype, x.dtype) else False
            if same is None:
                yield Check("array.to_device", f"{rule} keeps data and dtype", "unspecified", sentence=text,
                            input=inputs, required="the values on d2 could not be read back")
            else:
                yield _rule("array.to_device", f"{rule} keeps data and dtype", same, text, input=inputs,
                            required=f"{dtype} {values}", library=f"{y.dtype} {attempt(devs.target.to_numpy, y)}")


def _info(devs, version):
    if devs.info is None:
        yield Check("info.devices", "devices are listed", "n/a", required="no __array_namespace_info__ (the names "
                    "area reports it); the device of a default array stands in")
        return
    if any(d is None for d in devs.listed):
        yield Check("info.devices", "None is listed as a device", "unspecified",
                    required="device=None means the default placement, so no array is on None; the standard "
                             "does not say whether devices() may list it", library=repr(devs.listed))
    default, probe = attempt(devs.info.default_device), attempt(devs.ns.zeros, (2,))
    rule = "an array created without device= is on default_device()"
    if not devs.has_device:
        yield Check("info.default_device", rule, "n/a", required="arrays have no .device")
    elif default is None:  # 2025.12 allows it, 2024.12 does not say
        allowed = sentence("default None", version)
        yield Check("info.default_device", rule, "n/a" if allowed else "unspecified", sentence=allowed,
                    required="default_device() is None")
    else:
        yield _placed("info.default_device", rule, "default_device", version, default, probe, "zeros((2,))")
    for d in devs.devices:
        yield from _default_dtypes(devs, d, version)
        yield from _dtypes(devs, d, version)


def _answer(devs, method: str, d, version):
    """The info method's answer for device ``d``, its sentence, and the violation if the answer is no dict."""
    text = sentence(method, version)
    got = attempt(getattr(devs.info, method), device=d)
    if isinstance(got, dict):
        return got, text, None
    return None, text, _rule(f"info.{method}", f"answers for device={label(d)}", False, text,
                             input=f"{method}(device={label(d)})", required="a dict", library=repr(got))


def _default_dtypes(devs, d, version):
    dd, text, failed = _answer(devs, "default_dtypes", d, version)
    if failed:
        yield failed
        return
    ns = devs.ns
    x = devs.put("x", d)
    made = {"real floating": ("zeros((2,))", lambda: ns.zeros((2,), device=d)),
            "integral": ("asarray([1, 2])", lambda: ns.asarray([1, 2], device=d)),
            "complex floating": ("asarray([1j])", lambda: ns.asarray([1j], device=d)),
            "indexing": ("argmax(x)", lambda: ns.argmax(x))}
    for key, (what, make) in made.items():
        if key not in dd or (key == "indexing" and x is None):
            continue
        rule = f"'{key}' is the dtype {what} has on d [d={label(d)}]"
        got = attempt(make)
        ok = not isinstance(got, Raised) and _same(got.dtype, dd[key])
        yield _rule("info.default_dtypes", rule, ok, text, input=f"{what} on {label(d)}", required=repr(dd[key]),
                    library=got.text if isinstance(got, Raised) else repr(got.dtype))


def _dtypes(devs, d, version):
    listed, text, failed = _answer(devs, "dtypes", d, version)
    if failed:
        yield failed
        return
    for name in load_spec(version)["dtypes"]["names"]:
        if not devs.target.supports(name):
            continue
        dt = devs.target.dtype(name)
        got = attempt(devs.ns.zeros, (2,), dtype=dt, device=d)
        ok = not isinstance(got, Raised) and _same(got.dtype, dt) and (
            not devs.has_device or _same(_device(got), d))
        shown = got.text if isinstance(got, Raised) else f"{got.dtype} on {label(_device(got))}"
        inputs = f"zeros((2,), dtype={name}, device={label(d)})"
        if name in listed:
            yield _rule("info.dtypes", f"a listed dtype can be created on d [{name}, d={label(d)}]", ok, text,
                        dtype=name, input=inputs, required=f"{name} on {label(d)}", library=shown)
        else:
            yield Check("info.dtypes", f"an unlisted dtype on d [{name}, d={label(d)}]", "unspecified",
                        sentence=text, dtype=name, input=inputs, library=shown,
                        required="the standard does not say what creating an unlisted dtype does")


def _mixing(devs, version):
    """Arrays on two devices (a recommendation: raise), and a Python scalar with an array (2025.12)."""
    d0 = devs.default
    for d in devs.devices:
        x = devs.put("x", d)
        if x is None:
            continue
        x0 = None if _same(d, d0) else devs.put("x", d0)
        if x0 is not None:
            out = attempt(devs.ns.add, x0, x)
            rule, text = f"add of arrays on two devices [{label(d0)}, {label(d)}]", sentence("mixed", version)
            yield Check("add", rule, "conforms", sentence=text) if isinstance(out, Raised) else Check(
                "add", rule, "unspecified", sentence=text, input=f"add(x on {label(d0)}, x on {label(d)})",
                required="raises (recommended)", library=f"returns an array on {label(_device(out))}")
        if sentence("scalars", version):
            yield _placed("add", f"a Python scalar takes the array's device [d={label(d)}]", "scalars", version,
                          d, attempt(devs.ns.add, x, 1.5), f"add(x on {label(d)}, 1.5)")


def checks(target):
    spec = load_spec(target.version)
    devs = Devices(target)
    yield from _info(devs, target.version)
    entries = [e for e in spec["functions"] if recipe(e) is not None]
    creating = [e for e in entries if any(p["name"] == "device" for p in e["params"])]
    others = [e for e in entries if e not in creating]
    yield from _creation(devs, creating, target.version)
    if not devs.has_device:
        yield Check("array.device", "arrays have a .device attribute", "n/a",
                    required="the names area reports array.device's absence; the rules that read it are not run")
        return
    yield from _results(devs, others, target.version)
    yield from _to_device(devs, target.version)
    yield from _mixing(devs, target.version)
