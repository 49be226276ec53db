"""CPU per row of the scalar bundle processor's whole per-batch path, beside the bare call.

    PYTHONPATH=worker-python/src FNHARNESS_PROTOS_DESC=proto/target/classes/fnharness/fnharness-protos.desc \
        python3 worker-python/tools/bench_batch.py [ROWS_PER_BATCH] [BATCHES] [ROUNDS]

Feeds serialized RowBatches (as the Data stream hands them over) through
``ScalarFunctionProcessor.process``, which parses, decodes, calls, checks, encodes and
serializes, for the two functions of the end-to-end benchmark (benchmarks/src/main/python).
Figures are process_time ns per row, best of ROUNDS; "bare map()" is ``list(map(f, values))``
over the same values, the ceiling the end-to-end benchmark compares against. The worker's gRPC
and Data-stream threads are not in these figures.
"""
import os
import sys
import time

from fnharness_worker import columns, processors, protos
from fnharness_worker.scalar import ScalarFunctionProcessor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "benchmarks", "src", "main", "python"))
import bench_udfs  # noqa: E402


def processor(qualname, kind):
    payload = protos.ScalarFunctionPayload()
    payload.input_columns.add(name="x").type.kind = kind
    f = payload.functions.add(module="bench_udfs", qualname=qualname, arg_columns=[0], result_name="y")
    f.result_type.kind = kind
    return ScalarFunctionProcessor(payload, processors.Registration())


def batch(kind, values):
    b = protos.RowBatch(row_count=len(values))
    column = b.columns.add()
    if kind == columns.BIGINT:
        column.longs.extend(values)
    else:
        column.strings.extend(values)
    return b.SerializeToString()


def per_row(run, rows, rounds):
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best / rows * 1e9


def main():
    # glibc raises its mmap threshold (and its heap trim threshold, to twice that) to the size of
    # the largest mmapped block freed so far. In the worker the Data stream's messages have done so
    # long before the first batch; without this, the first rounds here mmap, fault in and unmap
    # their large buffers and STRING batches cost 30-40 ns per row more.
    block = bytearray(8 << 20)
    del block
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    batches = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    import google.protobuf
    print(f"Python {sys.version.split()[0]}, protobuf {google.protobuf.__version__}, "
          f"{batches} batches of {rows} rows; CPU ns per row, best of {rounds}")
    cases = [
        ("BIGINT x + 1", "add_one", columns.BIGINT, list(range(rows))),
        ("STRING s.upper()", "upper", columns.STRING, [bench_udfs.sample_string(i) for i in range(rows)]),
    ]
    for name, qualname, kind, values in cases:
        p = processor(qualname, kind)
        wire = [batch(kind, values)] * batches
        sent = []
        whole = per_row(lambda p=p, wire=wire, sent=sent: (
            sent.clear(), p.process(processors.BundleContext("b", iter(wire), sent.append))),
                        rows * batches, rounds)
        fn = getattr(bench_udfs, qualname)
        bare = per_row(lambda fn=fn, values=values: [list(map(fn, values)) for _ in range(batches)], rows * batches, rounds)
        print(f"{name:18s} worker path {whole:6.1f}   bare map() {bare:6.1f}   beyond the call {whole - bare:6.1f}")


if __name__ == "__main__":
    main()
