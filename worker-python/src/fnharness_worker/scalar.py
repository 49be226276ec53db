"""The scalar-function bundle processor: RowBatch in, one result column per function out."""
import itertools
import traceback

from . import columns, protos
from .functions import load_function

TRANSFORM_ID = "fn"


class BundleError(Exception):
    """A bundle failed; the message is the InstructionResponse.error text."""


class RegisterError(Exception):
    """A descriptor cannot be used; the message is the InstructionResponse.error text."""


class _Function:
    __slots__ = ("fn", "name", "args", "result_type", "describe")

    def __init__(self, fn, spec):
        self.fn = fn
        self.name = f"{spec.module}:{spec.qualname}"
        self.args = tuple(spec.arg_columns)
        self.result_type = spec.result_type
        self.describe = f"Python function '{self.name}' (output column '{spec.result_name}')"


class ScalarFunctionProcessor:
    """Runs the functions of one ProcessBundleDescriptor; built once at register time."""

    def __init__(self, payload, python_files):
        self.input_columns = [(field.name, field.type) for field in payload.input_columns]
        for name, data_type in self.input_columns:
            try:
                columns.codec(data_type)
            except columns.ColumnError as e:
                raise RegisterError(f"input column '{name}' has {e}") from None
        for spec in payload.functions:
            bad = [i for i in spec.arg_columns if not 0 <= i < len(self.input_columns)]
            if bad:
                raise RegisterError(
                    f"Python function '{spec.module}:{spec.qualname}': argument column indices {bad} "
                    f"out of range for {len(self.input_columns)} input columns")
            try:
                columns.codec(spec.result_type)
            except columns.ColumnError as e:
                raise RegisterError(
                    f"Python function '{spec.module}:{spec.qualname}': {e} for output column "
                    f"'{spec.result_name}'") from None
        # FunctionLoadError carries the register error text of the contract.
        self.functions = [_Function(load_function(spec.module, spec.qualname, python_files), spec)
                          for spec in payload.functions]

    @classmethod
    def from_descriptor(cls, descriptor, python_files):
        transforms = descriptor.transforms
        if list(transforms) != [TRANSFORM_ID]:
            raise RegisterError(
                f"process bundle descriptor '{descriptor.id}' must hold exactly one transform "
                f"'{TRANSFORM_ID}', it holds {sorted(transforms)}")
        spec = transforms[TRANSFORM_ID].spec
        if spec.urn != protos.SCALAR_FUNCTION_URN:
            raise RegisterError(
                f"process bundle descriptor '{descriptor.id}': unsupported transform urn "
                f"'{spec.urn}', expected '{protos.SCALAR_FUNCTION_URN}'")
        return cls(protos.ScalarFunctionPayload.FromString(spec.payload), python_files)

    def process(self, inputs, send):
        """Answers each input RowBatch (bytes) from ``inputs`` with one output RowBatch."""
        for data in inputs:
            send(self.process_batch(protos.RowBatch.FromString(data)).SerializeToString())

    def process_batch(self, batch):
        row_count = batch.row_count
        if len(batch.columns) != len(self.input_columns):
            raise BundleError(
                f"input batch has {len(batch.columns)} columns, expected {len(self.input_columns)} "
                f"({', '.join(name for name, _ in self.input_columns)})")
        decoded = {}  # only the columns some function reads, each decoded once
        out = protos.RowBatch()
        out.row_count = row_count
        for function in self.functions:
            args = []
            for i in function.args:
                values = decoded.get(i)
                if values is None:
                    name, data_type = self.input_columns[i]
                    try:
                        values = decoded[i] = columns.decode(batch.columns[i], data_type, row_count, name)
                    except columns.ColumnError as e:
                        raise BundleError(str(e)) from None
                args.append(values)
            results = self._call(function, args, row_count)
            try:
                columns.encode(results, function.result_type, out.columns.add(), function.describe)
            except columns.ColumnError as e:
                raise BundleError(str(e)) from None
        return out

    @staticmethod
    def _call(function, args, row_count):
        # extend() keeps what was computed before an exception, so len(results) is the failing row.
        results = []
        try:
            if args:
                results.extend(map(function.fn, *args))
            else:
                results.extend(itertools.starmap(function.fn, itertools.repeat((), row_count)))
        except (Exception, SystemExit):
            row = len(results)
            arg_reprs = ", ".join(columns.short_repr(column[row]) for column in args)
            raise BundleError(
                f"Python function '{function.name}' failed on row {row} of the batch "
                f"(args: {arg_reprs}):\n{traceback.format_exc()}") from None
        return results
