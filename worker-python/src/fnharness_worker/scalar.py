"""The scalar-function bundle processor: RowBatch in, one result column per function out."""
from . import columns, protos
from .errors import BundleError, RegisterError
from .expressions import InputColumns, compile_call, input_values


class _Function:
    __slots__ = ("call", "result_type", "label")

    def __init__(self, call, result_type, result_name):
        self.call = call
        self.result_type = result_type
        self.label = f"Python function '{call.name}' (output column '{result_name}')"


class ScalarFunctionProcessor:
    """Runs the functions of one ProcessBundleDescriptor; built once at register time."""

    urn = protos.SCALAR_FUNCTION_URN
    payload_type = protos.ScalarFunctionPayload

    def __init__(self, payload, registration):
        self.inputs = InputColumns(payload.input_columns)
        result_types = []
        for spec in payload.functions:  # checked before any function is loaded
            try:
                (_, result_type), = columns.field_codecs(
                    [protos.Field(name=spec.result_name, type=spec.result_type)], "output")
            except columns.ColumnError as e:
                raise RegisterError(f"Python function '{spec.module}:{spec.qualname}': {e}") from None
            result_types.append(result_type)
        self.functions = [_Function(compile_call(spec, self.inputs, registration.load), result_type, spec.result_name)
                          for spec, result_type in zip(payload.functions, result_types)]

    def process(self, bundle):
        """Answers each input RowBatch of the bundle with one output RowBatch."""
        for index, data in enumerate(bundle.inputs):
            bundle.send(self.process_batch(protos.RowBatchView.FromString(data), index).SerializeToString())

    def process_batch(self, batch, index=0):
        """The output RowBatch of the bundle's input batch number ``index`` (from 0)."""
        row_count = batch.row_count
        inputs = self.inputs.decode(batch)
        out = protos.RowBatchView()
        out.row_count = row_count
        for function in self.functions:
            results = function.call.evaluate(inputs, row_count)
            try:
                columns.encode(results, function.result_type, out.columns.add(), function.label)
            except columns.RefusedResult as e:
                raise BundleError(self._refused(function, e, inputs, index)) from None
            except columns.ColumnError as e:
                raise BundleError(str(e)) from None
        return out

    def _refused(self, function, error, inputs, index):
        read = input_values(function.call, self.inputs, inputs, error.row)
        return (f"{function.label} returned {columns.short_repr(error.value)} on row {error.row} of the bundle's "
                f"batch {index}{f' ({read})' if read else ''}, which the {error.type_name} column cannot hold: "
                f"{error.problem}")
