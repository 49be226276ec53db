"""``python -m fnharness_worker --id <worker id> --provision_endpoint host:port``"""
import sys

from fnharness_worker.entry import worker

if __name__ == "__main__":
    sys.exit(worker())
