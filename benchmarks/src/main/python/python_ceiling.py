"""The bare-Python ceiling: the same functions over the same values, no Flink, no gRPC.

Usage: python python_ceiling.py ROWS  -> one JSON object of rows/s on stdout.
"""
import json
import sys
import time

import bench_udfs


def best_rate(run, values, repeats=3):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(values)
        best = min(best, time.perf_counter() - start)
    return len(values) / best


def with_map(fn):
    return lambda values: list(map(fn, values))


def with_loop(fn):
    def run(values):
        out = []
        for v in values:
            out.append(fn(v))
        return out
    return run


def main():
    rows = int(sys.argv[1])
    longs = list(range(rows))
    strings = [bench_udfs.sample_string(i) for i in range(rows)]
    result = {
        "python": sys.version.split()[0],
        "bigint_add_one_map": best_rate(with_map(bench_udfs.add_one), longs),
        "bigint_add_one_loop": best_rate(with_loop(bench_udfs.add_one), longs),
        "string_upper_map": best_rate(with_map(bench_udfs.upper), strings),
        "string_upper_loop": best_rate(with_loop(bench_udfs.upper), strings),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
