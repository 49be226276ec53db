"""The table-function bundle processor: every input row yields zero or more output rows.

The function is called once per input row, like a scalar function (its arguments may be nested
calls, evaluated column-at-a-time first). What it returns - a generator, any other iterable of
rows, or None for no rows - is drained in the same C-level ``map`` loop, so the row index of a
failure is exact. A row is the value itself when the result has one column, and a tuple (or
list) of values, one per column, when it has several.

Each output RowBatch starts with the ``INT`` column "input row": the position in the bundle of
the input row that yielded the output row (ascending), followed by the result columns. Input
rows that yield nothing appear nowhere; the runner drops them. Output is cut into batches of at
most OUTPUT_BATCH_ROWS rows, so one input batch may be answered by several output batches, or by
none.
"""
import itertools

from . import columns, protos
from .errors import BundleError, RegisterError
from .expressions import InputColumns, WrongResult, call_rows, compile_call, row_label

OUTPUT_BATCH_ROWS = 4096

_NOT_ROWS = (str, bytes, bytearray, dict)  # iterable, but almost surely not meant as rows


def _rows_of(result):
    """The rows one call returned, as a tuple; raises WrongResult for a non-iterable."""
    if result is None:
        return ()
    if isinstance(result, _NOT_ROWS):
        raise WrongResult(f"returned {columns.short_repr(result)} (a {type(result).__name__})",
                          "a table function must yield its rows, or return an iterable of rows or None")
    try:
        rows = iter(result)
    except TypeError:
        raise WrongResult(f"returned {columns.short_repr(result)} (a {type(result).__name__})",
                          "a table function must yield its rows, or return an iterable of rows or None") from None
    return tuple(rows)  # a generator's body runs here, inside call_rows' error handling


class TableFunctionProcessor:
    """Runs the table function of one ProcessBundleDescriptor; built once at register time."""

    urn = protos.TABLE_FUNCTION_URN
    payload_type = protos.TableFunctionPayload

    def __init__(self, payload, registration):
        self.inputs = InputColumns(payload.input_columns)
        name = f"{payload.function.module}:{payload.function.qualname}"
        if not payload.result_columns:
            raise RegisterError(f"Python table function '{name}' has no result columns")
        try:
            self.result_columns = columns.field_codecs(payload.result_columns, "output")  # not per batch
        except columns.ColumnError as e:
            raise RegisterError(f"Python table function '{name}': {e}") from None
        self.call = compile_call(payload.function, self.inputs, registration.load, kind="Python table function")
        self.labels = [f"{self.call.label} (output column '{column}')" for column, _ in self.result_columns]

    def process(self, bundle):
        """Answers the bundle's input RowBatches with output RowBatches, in order."""
        offset = 0  # position in the bundle of the batch's first row
        for data in bundle.inputs:
            batch = protos.RowBatchView.FromString(data)
            for out in self.process_batch(batch, offset):
                bundle.send(out.SerializeToString())
            offset += batch.row_count

    def process_batch(self, batch, offset=0):
        """The output RowBatches for one input batch whose first row is row ``offset`` of the bundle."""
        row_count = batch.row_count
        args = self.call.arguments(self.inputs.decode(batch), row_count)
        per_row = []
        call_rows(self.call.fn, args, row_count, per_row, self.call.label, wrap=_rows_of)
        counts = list(map(len, per_row))
        input_rows = list(itertools.chain.from_iterable(
            map(itertools.repeat, range(offset, offset + row_count), counts)))
        items = list(itertools.chain.from_iterable(per_row))
        values = [items] if len(self.result_columns) == 1 else self._split(items, input_rows, offset, args)

        total = len(items)
        batches = []
        for start in range(0, total, OUTPUT_BATCH_ROWS):
            end = min(total, start + OUTPUT_BATCH_ROWS)
            out = protos.RowBatchView(row_count=end - start)
            columns.encode(input_rows[start:end], columns.INT, out.columns.add(), "input row")
            for column_values, label, (_, kind) in zip(values, self.labels, self.result_columns):
                # encode() may modify its list, and the values list may be cut into several batches
                part = column_values if end - start == len(column_values) else column_values[start:end]
                try:
                    columns.encode(part, kind, out.columns.add(), label)
                except columns.RefusedResult as e:
                    # The codec names the row of the output batch; the user needs the input row.
                    row = input_rows[start + e.row] - offset
                    raise BundleError(f"{label} yielded {columns.short_repr(e.value)} for "
                                      f"{row_label(row, args)}, which the {e.type_name} column "
                                      f"cannot hold: {e.problem}") from None
                except columns.ColumnError as e:
                    raise BundleError(str(e)) from None
            batches.append(out)
        return batches

    def _split(self, items, input_rows, offset, args):
        """One list per result column from the yielded tuples, or a clear error for a bad one."""
        width = len(self.result_columns)
        if all(issubclass(t, (tuple, list)) for t in set(map(type, items))) and set(map(len, items)) <= {width}:
            return [list(column) for column in zip(*items)] if items else [[] for _ in range(width)]
        for position, item in enumerate(items):
            if not isinstance(item, (tuple, list)) or len(item) != width:
                names = ", ".join(name for name, _ in self.result_columns)
                raise BundleError(
                    f"{self.call.label} yielded {columns.short_repr(item)} for "
                    f"{row_label(input_rows[position] - offset, args)}, but its result has {width} "
                    f"columns ({names}): yield a tuple of {width} values")
        raise AssertionError("no bad item found")
