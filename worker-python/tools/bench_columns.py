"""Decode and encode cost per value of each column type (the columns package), 1,000-row batches.

    PYTHONPATH=worker-python/src FNHARNESS_PROTOS_DESC=proto/target/classes/fnharness/fnharness-protos.desc \
        python3 worker-python/tools/bench_columns.py

Decode = parse the serialized Column + columns.decode; encode = columns.encode + serialize.
Figures are ns per row (per value of the top-level column), best of 5.
"""
import datetime
import random
import sys
import timeit
from decimal import Decimal

from fnharness_worker import columns, protos

D = protos.DataType
K = columns
N = 1000
rng = random.Random(1)
UTC = datetime.timezone.utc


def t(kind, **kw):
    return D(kind=kind, **kw)


def array(element):
    return D(kind=K.ARRAY, element_type=element)


def map_of(key, value):
    return D(kind=K.MAP, key_type=key, value_type=value)


def row(**fields):
    data_type = D(kind=K.ROW)
    for name, field_type in fields.items():
        data_type.fields.add(name=name, type=field_type)
    return data_type


CASES = [
    ("BIGINT", t(K.BIGINT), lambda: rng.randrange(-10 ** 12, 10 ** 12)),
    ("INT", t(K.INT), lambda: rng.randrange(-10 ** 9, 10 ** 9)),
    ("DOUBLE", t(K.DOUBLE), lambda: rng.random() * 1e6),
    ("FLOAT", t(K.FLOAT), lambda: float(rng.randrange(1 << 20))),
    ("BOOLEAN", t(K.BOOLEAN), lambda: rng.random() < 0.5),
    ("STRING (16-64 chars)", t(K.STRING), lambda: "x" * rng.randint(16, 64)),
    ("BYTES (16 bytes)", t(K.BYTES), lambda: bytes(16)),
    ("DECIMAL", t(K.DECIMAL), lambda: Decimal(rng.randrange(-10 ** 9, 10 ** 9)).scaleb(-2)),
    ("DECIMAL(12, 2)", t(K.DECIMAL, precision=12, scale=2), lambda: Decimal(rng.randrange(-10 ** 9, 10 ** 9)).scaleb(-2)),
    ("DATE", t(K.DATE), lambda: datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(10000))),
    ("TIME", t(K.TIME), lambda: datetime.time(rng.randrange(24), rng.randrange(60), rng.randrange(60), rng.randrange(10 ** 6))),
    ("TIMESTAMP", t(K.TIMESTAMP), lambda: datetime.datetime(2020, 1, 1) + datetime.timedelta(microseconds=rng.randrange(10 ** 14))),
    ("TIMESTAMP_LTZ", t(K.TIMESTAMP_LTZ), lambda: datetime.datetime(2020, 1, 1, tzinfo=UTC) + datetime.timedelta(microseconds=rng.randrange(10 ** 14))),
    ("ARRAY<BIGINT> (0-8 elements)", array(t(K.BIGINT)), lambda: [rng.randrange(1000) for _ in range(rng.randrange(9))]),
    ("MAP<STRING, DOUBLE> (0-8 entries)", map_of(t(K.STRING), t(K.DOUBLE)), lambda: {str(i): rng.random() for i in range(rng.randrange(9))}),
    ("ROW<a BIGINT, b STRING, c DOUBLE>", row(a=t(K.BIGINT), b=t(K.STRING), c=t(K.DOUBLE)), lambda: (rng.randrange(1000), "abc", rng.random())),
]


def measure(data_type, values):
    column = protos.ColumnView()
    columns.encode(list(values), data_type, column, "bench")
    wire = column.SerializeToString()

    def decode():
        columns.decode(protos.ColumnView.FromString(wire), data_type, N, "c")

    def encode():
        c = protos.ColumnView()
        columns.encode(list(values), data_type, c, "bench")
        c.SerializeToString()

    number = 200
    return [min(timeit.repeat(f, number=number, repeat=5)) / number / N * 1e9 for f in (decode, encode)]


def main():
    import google.protobuf
    print(f"Python {sys.version.split()[0]}, protobuf {google.protobuf.__version__}, {N} rows per batch; ns per row")
    print(f"{'type':36s} {'decode':>8s} {'encode':>8s} {'decode 10% null':>16s} {'encode 10% null':>16s}")
    for name, data_type, make in CASES:
        values = [make() for _ in range(N)]
        with_nulls = [None if rng.random() < 0.1 else v for v in values]
        d, e = measure(data_type, values)
        dn, en = measure(data_type, with_nulls)
        print(f"{name:36s} {d:8.0f} {e:8.0f} {dn:16.0f} {en:16.0f}")


if __name__ == "__main__":
    main()
