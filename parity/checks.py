'''The assertions of standalone reproducers (``parity.standalone``), as the source text they paste.

Each is the sweep's rule for one divergence category written in plain NumPy (``opinfo.compare`` and
``parity.compare`` are the originals; ``tests/test_standalone.py`` holds the two together): the same
exception families, the same ULP distance and allowance or tolerance, the same NaN/inf/signed-zero
rule. Upper-case words are filled in by the renderer (``LIBRARY``: the backend's name; ``COMMON``:
the dtype both results are compared in; the numbers of the bound).
'''

#: Names the script itself uses; copied registry code must not take them.
NAMES = ("to_numpy", "outcome", "layout", "ulp_distance", "classes", "family", "FAMILIES", "expected", "actual",
         "e", "a", "r", "m", "rc", "mc", "finite", "ulps", "bad", "differ", "both_inf", "i", "part_r", "part_m")

_TO_NUMPY = '''def to_numpy(value, reference=False):
    """A result as NumPy arrays (tuples kept), read back as array-parity reads it; NumPy's as it is."""
    if isinstance(value, (tuple, list)):
        return tuple(to_numpy(v, reference) for v in value)
    if reference:
        return np.asarray(value)
READ_BACK
    if isinstance(value, (np.ndarray, np.generic, bool, int, float, complex)):
        return np.asarray(value)
    raise TypeError(f"result of type {type(value).__module__}.{type(value).__qualname__} is not an array")'''


def to_numpy(read_back: str) -> str:
    """``to_numpy`` with the branch that reads the library's own arrays back."""
    branch = "\n".join("    " + line for line in read_back.splitlines())
    return _TO_NUMPY.replace("READ_BACK\n", branch + "\n" if branch else "")


OUTCOME = '''def outcome(call):
    """What the call returns, or the exception it raises."""
    try:
        return call()
    except Exception as exc:
        return exc'''

ERROR = '''if isinstance(actual, Exception) and not isinstance(expected, Exception):
    raise AssertionError(f"LIBRARY raises {type(actual).__name__}: {actual}; NumPy returns a result") from actual'''

ACCEPTS = '''if isinstance(expected, Exception) and not isinstance(actual, Exception):
    raise AssertionError(f"NumPy raises {type(expected).__name__}: {expected}; LIBRARY returns a result instead")'''

FAMILY = '''# array-parity's exception families, most specific first: both sides raising within one family is parity
FAMILIES = FAMILIES_TUPLE


def family(exc):
    """An exception's family and the names of its classes."""
    names = [c.__name__.lstrip("_") for c in type(exc).__mro__]
    return next((n for n in names if n in FAMILIES), names[0]), names'''

ERROR_TYPE = '''if isinstance(expected, Exception) and isinstance(actual, Exception):
    (numpy_family, numpy_names), (lib_family, lib_names) = family(expected), family(actual)
    assert numpy_family in lib_names or lib_family in numpy_names, (
        f"NumPy raises {type(expected).__name__} ({numpy_family}): {expected}; "
        f"LIBRARY raises {type(actual).__name__} ({lib_family}): {actual}")'''

DTYPE = 'assert a.dtype == e.dtype, f"result dtype: NumPy {e.dtype}, LIBRARY {a.dtype}"'

LAYOUT = '''def layout(value):
    """The shapes of a result, nested as its outputs are."""
    return [layout(v) for v in value] if isinstance(value, tuple) else value.shape'''

SHAPE = 'assert layout(actual) == layout(expected), f"shapes: NumPy {layout(expected)}, LIBRARY {layout(actual)}"'

_SAME_SHAPE = 'assert a.shape == e.shape, f"result shape: NumPy {e.shape}, LIBRARY {a.shape}"\n'

EXACT = _SAME_SHAPE + '''# compared as Python integers: signed against unsigned never wraps around
differ = np.asarray(e.astype(object) != a.astype(object), dtype=bool)ONLY
if differ.any():
    i = tuple(int(k) for k in np.argwhere(differ)[0])
    raise AssertionError(f"{differ.sum()} of {differ.size} elements differ; first at {i}: "
                         f"NumPy {e[i]!r}, LIBRARY {a[i]!r}")'''

EQUAL = 'assert np.array_equal(e, a), f"results differ: NumPy {e!r:.300}, LIBRARY {a!r:.300}"'

ULP = '''def ulp_distance(ref, got):
    """|ref - got| in units in the last place of ref as a UNIT (NMANT fraction bits; below the smallest normal
    number, the smallest subnormal, and a difference up to that number counts 0: flushing subnormals to zero is
    no value divergence); complex: both parts, in ulps of ref's larger part."""
    ref, got = np.asarray(ref, dtype=np.complex128), np.asarray(got, dtype=np.complex128)
    size = np.maximum(np.abs(ref.real), np.abs(ref.imag))
    diff = np.maximum(np.abs(ref.real - got.real), np.abs(ref.imag - got.imag))
    exponent = np.where(size < SMALLEST, MINEXP, np.frexp(size)[1] - 1)
    return np.where((size < SMALLEST) & (diff <= SMALLEST), 0.0, diff / np.ldexp(1.0, exponent - NMANT))'''

VALUE = _SAME_SHAPE + '''r, m = e.astype(COMMON), a.astype(COMMON)
with np.errstate(all="ignore"):
    finite = np.isfinite(r) & np.isfinite(m)  # NaN and inf are special values, checked apart
    ulps = np.where(finite, ulp_distance(np.where(finite, r, 0), np.where(finite, m, 0)), 0.0)
    bad = finite & (BAD)ONLY
if bad.any():
    i = tuple(int(k) for k in np.argwhere(bad)[0])
    raise AssertionError(f"{bad.sum()} of {bad.size} elements beyond BOUND (up to {ulps[bad].max():.3g} ulp); "
                         f"first at {i}: NumPy {e[i]!r}, LIBRARY {a[i]!r} ({ulps[i]:.3g} ulp apart)")'''

CLASSES = '''def classes(v):
    """Per element: 0 finite, 1 NaN, 2 infinite (complex: an infinite part wins, as in C99)."""
    inf = np.isinf(v.real) | np.isinf(v.imag)
    return np.where(inf, 2, np.where(np.isnan(v.real) | np.isnan(v.imag), 1, 0))'''

SPECIAL = _SAME_SHAPE + '''r, m = e.astype(COMMON), a.astype(COMMON)
rc, mc = classes(r), classes(m)
differ, both_inf, finite = rc != mc, (rc == 2) & (mc == 2), (rc == 0) & (mc == 0)
for part_r, part_m in ((r.real, m.real), (r.imag, m.imag)):
    # infinite parts in the same places with the same signs; where NumPy's other part is a number, LIBRARY's too
    differ |= both_inf & ((np.isinf(part_r) != np.isinf(part_m)) | (np.isinf(part_r) & (part_r != part_m)))
    differ |= both_inf & np.isfinite(part_r) & np.isnan(part_m)
SIGNED_ZERO
differ = differ ONLY
if differ.any():
    i = tuple(int(k) for k in np.argwhere(differ)[0])
    raise AssertionError(f"{differ.sum()} of {differ.size} elements differ in NaN/inf/signed zero; first at {i}: "
                         f"NumPy {e[i]!r}, LIBRARY {a[i]!r}")'''

#: The elements this divergence is about, where a declaration covers the others (set by the renderer).
ONLY = '''only = np.zeros(e.shape, dtype=bool)  # the elements of this divergence: a declaration covers the others
only[tuple(zip(*INDICES))] = True'''

SIGNED_ZERO = "    differ |= finite & (part_r == 0) & (part_m == 0) & (np.signbit(part_r) != np.signbit(part_m))"
