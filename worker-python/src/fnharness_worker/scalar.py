"""The scalar-function bundle processor: RowBatch in, one result column per function out."""
from . import columns, protos
from .expressions import BundleError, InputColumns, RegisterError, compile_call

__all__ = ["TRANSFORM_ID", "BundleError", "RegisterError", "ScalarFunctionProcessor"]

TRANSFORM_ID = protos.TRANSFORM_ID


class _Function:
    __slots__ = ("call", "result_type", "describe")

    def __init__(self, call, spec):
        self.call = call
        self.result_type = columns.codec(spec.result_type)  # checked in ScalarFunctionProcessor
        self.describe = f"Python function '{call.name}' (output column '{spec.result_name}')"


class ScalarFunctionProcessor:
    """Runs the functions of one ProcessBundleDescriptor; built once at register time."""

    def __init__(self, payload, python_files):
        self.inputs = InputColumns(payload.input_columns)
        for spec in payload.functions:
            try:
                columns.codec(spec.result_type)
            except columns.ColumnError as e:
                raise RegisterError(
                    f"Python function '{spec.module}:{spec.qualname}': {e} for output column "
                    f"'{spec.result_name}'") from None
        self.functions = [_Function(compile_call(spec, self.inputs, python_files), spec)
                          for spec in payload.functions]

    def process(self, inputs, send):
        """Answers each input RowBatch (bytes) from ``inputs`` with one output RowBatch."""
        for data in inputs:
            send(self.process_batch(protos.RowBatchView.FromString(data)).SerializeToString())

    def process_batch(self, batch):
        row_count = batch.row_count
        inputs = self.inputs.decode(batch)
        out = protos.RowBatchView()
        out.row_count = row_count
        for function in self.functions:
            results = function.call.evaluate(inputs, row_count)
            try:
                columns.encode(results, function.result_type, out.columns.add(), function.describe)
            except columns.ColumnError as e:
                raise BundleError(str(e)) from None
        return out

