"""Codecs of the nested kinds: ARRAY, MAP and ROW, each holding the codecs of its children.

On the wire a nested column is offsets plus child columns (docs/protocol.md "RowBatch columns").
A list row is a slice of the child list, a dict row ``dict(zip(key_slice, value_slice))``, a row
``tuple.__new__(Row, ...)`` over ``zip(*fields)``, so there is still no Python loop body per row;
only :meth:`Codec.problem`, run once a value has been refused, walks the elements one by one.
Each codec's docstring says which Python values a result column of its type accepts.
"""
import collections
import collections.abc
from itertools import accumulate, chain, islice, repeat

from .. import protos
from .base import Codec, ColumnError, Refused, null_rows, short_repr

_EMPTY_COLUMN = protos.ColumnView()


class ArrayCodec(Codec):
    """ARRAY: list, tuple; Python gets a list."""

    null_slot = ()
    hashable = False

    @classmethod
    def from_type(cls, data_type, codec_of):
        return cls(data_type, codec_of(data_type.element_type))

    def __init__(self, data_type, element):
        super().__init__(data_type, f"ARRAY<{element.name}>")
        self.element = element

    def accepts_type(self, t):
        return issubclass(t, (list, tuple))

    def value_problem(self, value):
        element = self.element
        for i, e in enumerate(value):
            if e is None:
                if element.not_null:
                    return (f"element {i} is None, but this array's elements cannot be null (a Java "
                            f"primitive array, or a list whose elements Flink cannot serialize as null)")
                continue
            problem = element.problem(e)
            if problem is not None:
                return f"element {i} ({short_repr(e)}): {problem}"
        return None

    def lengths(self, column, count, where):
        lengths = list(column.lengths)
        if len(lengths) != count:
            raise ColumnError(f"{where} ({self.name}) has {len(lengths)} lengths but {count} rows")
        return lengths

    def child(self, column, index, count, where):
        if len(column.children) > index:
            return column.children[index]
        if count == 0:
            return _EMPTY_COLUMN
        raise ColumnError(f"{where} ({self.name}) lacks child column {index}")

    def decode(self, column, count, where):
        lengths = self.lengths(column, count, where)
        offsets = list(accumulate(lengths, initial=0))
        elements = self.element.decode(self.child(column, 0, offsets[-1], where), offsets[-1],
                                       f"{where} elements")
        values = list(map(elements.__getitem__, map(slice, offsets, islice(offsets, 1, None))))
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def fill(self, values, column, types):
        column.lengths.extend(map(len, values))
        self.element.encode(list(chain.from_iterable(values)), column.children.add())


class MapCodec(ArrayCodec):
    """MAP: dict (or any Mapping); Python gets a dict. Keys that hold an ARRAY or a MAP are
    refused when the type is built: Python lists and dicts cannot be dict keys."""

    null_slot = {}

    @classmethod
    def from_type(cls, data_type, codec_of):
        return cls(data_type, codec_of(data_type.key_type), codec_of(data_type.value_type))

    def __init__(self, data_type, key, value):
        Codec.__init__(self, data_type, f"MAP<{key.name}, {value.name}>")
        if not key.hashable:
            raise ColumnError(f"{self.name}: Python dict keys must be hashable, so a MAP key cannot be "
                              f"or contain an ARRAY or a MAP")
        self.key = key
        self.value = value

    def accepts_type(self, t):
        return issubclass(t, collections.abc.Mapping)

    def value_problem(self, value):
        for k, v in value.items():
            if k is None:
                if self.key.not_null:
                    return "a key is None, but Flink cannot serialize null keys of this map"
            else:
                problem = self.key.problem(k)
                if problem is not None:
                    return f"key {short_repr(k)}: {problem}"
            if v is not None:
                problem = self.value.problem(v)
                if problem is not None:
                    return f"value for key {short_repr(k)} ({short_repr(v)}): {problem}"
        return None

    def decode(self, column, count, where):
        lengths = self.lengths(column, count, where)
        offsets = list(accumulate(lengths, initial=0))
        total = offsets[-1]
        keys = self.key.decode(self.child(column, 0, total, where), total, f"{where} keys")
        items = self.value.decode(self.child(column, 1, total, where), total, f"{where} values")
        slices = list(map(slice, offsets, islice(offsets, 1, None)))
        values = list(map(dict, map(zip, map(keys.__getitem__, slices), map(items.__getitem__, slices))))
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def fill(self, values, column, types):
        if any(not issubclass(t, dict) for t in types):
            values = [v if isinstance(v, dict) else dict(v) for v in values]
        column.lengths.extend(map(len, values))
        self.key.encode(list(chain.from_iterable(map(dict.keys, values))), column.children.add())
        self.value.encode(list(chain.from_iterable(map(dict.values, values))), column.children.add())


def row_class(names):
    """The class of the rows of a ROW column: a namedtuple named Row over the field names.
    Names that are not Python identifiers (or are keywords, or start with '_') become _0, _1, ...
    by position; the rows are tuples all the same."""
    cls = collections.namedtuple("Row", names, rename=True)
    cls.__module__ = __package__  # where users import from: fnharness_worker.columns
    return cls


class RowCodec(Codec):
    """ROW: tuple (a Row from an input column, a namedtuple, a plain tuple) or list, of the row's
    arity, fields by position; Python gets a Row namedtuple (:func:`row_class`)."""

    @classmethod
    def from_type(cls, data_type, codec_of):
        return cls(data_type, [f.name for f in data_type.fields], [codec_of(f.type) for f in data_type.fields])

    def __init__(self, data_type, names, fields):
        super().__init__(data_type, "ROW<" + ", ".join(f"{n} {f.name}" for n, f in zip(names, fields)) + ">")
        self.names = names
        self.fields = fields
        self.hashable = all(field.hashable for field in fields)
        self.arity = len(fields)
        self.row_class = row_class(names)
        self.null_slot = (None,) * self.arity
        self._new = tuple.__new__

    def accepts_type(self, t):
        return issubclass(t, (tuple, list))

    def value_problem(self, value):
        if len(value) != self.arity:
            return f"it has {len(value)} fields where the row type has {self.arity}"
        for name, field, v in zip(self.names, self.fields, value):
            if v is not None:
                problem = field.problem(v)
                if problem is not None:
                    return f"field '{name}' ({short_repr(v)}): {problem}"
        return None

    def decode(self, column, count, where):
        if count == 0 and not column.children:
            return []
        if len(column.children) != self.arity:
            raise ColumnError(
                f"{where} ({self.name}) has {len(column.children)} field columns, expected {self.arity}")
        if self.arity:
            fields = [field.decode(child, count, f"{where} field '{name}'")
                      for name, field, child in zip(self.names, self.fields, column.children)]
            values = list(map(self._new, repeat(self.row_class), zip(*fields)))
        else:
            values = [self.row_class()] * count
        if column.nulls:
            for row in null_rows(column.nulls, count):
                values[row] = None
        return values

    def fill(self, values, column, types):
        if set(map(len, values)) - {self.arity}:
            raise Refused
        if values:
            for field, field_values in zip(self.fields, zip(*values)):
                field.encode(list(field_values), column.children.add())
        else:
            for _ in self.fields:
                column.children.add()
