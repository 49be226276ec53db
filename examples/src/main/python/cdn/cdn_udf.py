"""Python functions of the CDN access-log example: plain Python, no fnharness import.

ip_to_province resolves a client IPv4 address with the range table next to this file
(ip_ranges.csv), entirely in memory: no network, unlike the lookup service of the original
PyFlink case study.
"""
import bisect
import csv
import functools
import logging
import os

_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ip_ranges.csv")


def _ip_to_int(ip):
    parts = ip.split(".")
    if len(parts) != 4:
        return None
    value = 0
    for part in parts:
        if not part.isdigit() or int(part) > 255:
            return None
        value = value * 256 + int(part)
    return value


def _load_table(path):
    starts, ends, provinces = [], [], []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            starts.append(_ip_to_int(row["start_ip"]))
            ends.append(_ip_to_int(row["end_ip"]))
            provinces.append(row["province"])
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return [starts[i] for i in order], [ends[i] for i in order], [provinces[i] for i in order]


_STARTS, _ENDS, _PROVINCES = _load_table(_TABLE)
# print() and logging reach the job's log (here under fnharness.python.cdn_udf).
logging.getLogger(__name__).info("%d IP ranges loaded from %s", len(_STARTS), os.path.basename(_TABLE))


# CDN clients come back again and again: the cache saves the parse and the search for them.
@functools.lru_cache(maxsize=1 << 17)
def ip_to_province(client_ip):
    """The province of an IPv4 address; "unknown" outside the table, "invalid" for a bad address."""
    if client_ip is None:
        return None
    value = _ip_to_int(client_ip)
    if value is None:
        return "invalid"
    i = bisect.bisect_right(_STARTS, value) - 1
    if i >= 0 and value <= _ENDS[i]:
        return _PROVINCES[i]
    return "unknown"
