"""The quickstart's Python functions: python.files names this file, and each worker imports it."""
import logging

log = logging.getLogger("udfs")
print("udfs.py imported")  # print() and logging reach the job's log, under fnharness.python.*


def add_one(x):
    if x == 1:
        log.info("add_one got its first row")
    return None if x is None else x + 1
