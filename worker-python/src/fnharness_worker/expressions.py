"""Function-call trees (``Expression`` / ``Call`` in fnharness.proto), compiled once at register time.

Evaluation is column-at-a-time: each call runs over whole argument columns with ``map`` (a loop in
C), innermost calls first, so ``f(g(x), h(y))`` costs three ``map`` passes per batch and no
per-row interpretation of the tree. Each call in the tree runs once per row; identical
sub-expressions are not merged (a function may be impure). A failing call reports its own row,
which is the batch row, because every column of the tree is aligned with the batch.
"""
import itertools
import traceback

from . import columns, protos
from .errors import BundleError, RegisterError


class WrongResult(Exception):
    """Raised by a ``wrap`` of ``call_rows``: the function returned something of the wrong shape.

    ``what`` says what it returned, ``hint`` what it should return; no traceback is needed.
    """

    def __init__(self, what, hint):
        super().__init__(what, hint)
        self.what = what
        self.hint = hint


class InputColumns:
    """The schema of a transform's input batches, and their decoding into Python lists."""

    def __init__(self, fields):
        try:
            self.fields = columns.field_codecs(fields, "input")  # resolved here, not per batch
        except columns.ColumnError as e:
            raise RegisterError(str(e)) from None

    def __len__(self):
        return len(self.fields)

    def name(self, index):
        return self.fields[index][0]

    def decode(self, batch):
        """One Python list per input column (the runner sends only columns some call reads)."""
        if len(batch.columns) != len(self.fields):
            raise BundleError(
                f"input batch has {len(batch.columns)} columns, expected {len(self.fields)} "
                f"({', '.join(name for name, _ in self.fields)})")
        try:
            return [columns.decode(column, data_type, batch.row_count, name)
                    for column, (name, data_type) in zip(batch.columns, self.fields)]
        except columns.ColumnError as e:
            raise BundleError(str(e)) from None


def literal_value(literal):
    which = literal.WhichOneof("value")
    return None if which is None else getattr(literal, which)


class CompiledCall:
    """One call of a tree: ``evaluate(inputs, row_count)`` gives its result column (a list)."""

    __slots__ = ("name", "fn", "args", "label", "columns")

    def __init__(self, name, fn, args, label, read_columns):
        self.name = name
        self.fn = fn
        self.args = args  # one evaluator per argument: (inputs, row_count) -> list
        self.label = label  # how errors name it, e.g. "Python function 'm:g' (argument 1 of 'm:f')"
        self.columns = read_columns  # the input columns the tree reads, each once, in tree order

    def arguments(self, inputs, row_count):
        return [arg(inputs, row_count) for arg in self.args]

    def evaluate(self, inputs, row_count):
        results = []
        call_rows(self.fn, self.arguments(inputs, row_count), row_count, results, self.label)
        return results


def call_rows(fn, args, row_count, results, label, wrap=None):
    """Appends ``fn(*row)`` for every row of the argument columns ``args`` to ``results``.

    ``wrap``, if given, is applied to each result inside the same loop. ``extend`` keeps what was
    computed before an exception, so ``len(results)`` is the failing row, also when ``wrap``
    fails.
    """
    try:
        calls = map(fn, *args) if args else itertools.starmap(fn, itertools.repeat((), row_count))
        results.extend(calls if wrap is None else map(wrap, calls))
    except WrongResult as e:
        raise BundleError(f"{label} {e.what} for {row_label(len(results), args)}: {e.hint}") from None
    except (Exception, SystemExit):
        raise BundleError(f"{label} failed on {row_label(len(results), args)}:\n"
                          f"{traceback.format_exc()}") from None


def row_label(row, args):
    """"row 3 of the batch (args: 1, 'x')", for error messages."""
    return f"row {row} of the batch (args: {', '.join(columns.short_repr(column[row]) for column in args)})"


def input_values(call, input_columns, inputs, row):
    """"x=501, s='a'": the input columns ``call`` reads, on one row, for error messages."""
    return ", ".join(f"{input_columns.name(i)}={columns.short_repr(inputs[i][row])}" for i in call.columns)


def compile_call(call, input_columns, load, kind="Python function", parent=None):
    """A ``CompiledCall`` for a ``Call`` message; loads every function of the tree with
    ``load(module, qualname)`` (a Registration's).

    ``call`` may also be a ``PythonFunction`` (the scalar payload's top-level call): its ``args``,
    or when those are empty its plain ``arg_columns``.
    """
    name = f"{call.module}:{call.qualname}"
    label = f"{kind} '{name}'" if parent is None else f"{kind} '{name}' ({parent})"
    arg_specs = list(call.args)
    if not arg_specs and getattr(call, "arg_columns", None):
        arg_specs = [protos.Expression(column=i) for i in call.arg_columns]
    read = {}  # input column index -> None: an ordered set
    args = [_compile_argument(spec, position, name, input_columns, load, read)
            for position, spec in enumerate(arg_specs, 1)]
    # FunctionLoadError carries the register error text of the contract.
    fn = load(call.module, call.qualname)
    return CompiledCall(name, fn, args, label, list(read))


def _compile_argument(spec, position, parent_name, input_columns, load, read):
    which = spec.WhichOneof("kind")
    if which == "column":
        index = spec.column
        if not 0 <= index < len(input_columns):
            raise RegisterError(
                f"Python function '{parent_name}': argument {position} reads input column {index}, "
                f"out of range for {len(input_columns)} input columns")
        read[index] = None
        return lambda inputs, row_count: inputs[index]
    if which == "literal":
        value = literal_value(spec.literal)
        return lambda inputs, row_count: [value] * row_count
    if which == "call":
        inner = compile_call(spec.call, input_columns, load, parent=f"argument {position} of '{parent_name}'")
        read.update(dict.fromkeys(inner.columns))
        return inner.evaluate
    raise RegisterError(f"Python function '{parent_name}': argument {position} is empty "
                        "(no column, call or literal)")
