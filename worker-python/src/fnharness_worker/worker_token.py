"""The token a worker sends on every call to a runner that other machines can reach.

Such a runner (``python.worker.external.runner-bind-host`` off loopback) admits only calls with
the ``fnharness-worker-token`` metadata it issued to their worker. It gives the token to the
worker pool in ``StartWorkerRequest.params``; the pool hands it to the worker in the environment
variable ``FNHARNESS_WORKER_TOKEN``, not on the command line, where ``ps`` would show it.
See docs/protocol.md, "Worker tokens".
"""
import collections
import os

import grpc

HEADER = "fnharness-worker-token"
PARAM = "fnharness-worker-token"  # the StartWorkerRequest.params key
ENV = "FNHARNESS_WORKER_TOKEN"


def take_from_environment():
    """The token, removed from the environment so the functions' child processes do not inherit it."""
    return os.environ.pop(ENV, None) or None


class _CallDetails(collections.namedtuple(
        "_CallDetails", ("method", "timeout", "metadata", "credentials", "wait_for_ready", "compression")),
        grpc.ClientCallDetails):
    pass


class _AddHeader(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                 grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds one metadata entry to every call, whatever its kind, next to the caller's own."""

    def __init__(self, key, value):
        self._entry = (key, value)

    def _details(self, details):
        return _CallDetails(details.method, details.timeout, tuple(details.metadata or ()) + (self._entry,),
                            details.credentials, details.wait_for_ready, getattr(details, "compression", None))

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)

    def intercept_stream_stream(self, continuation, details, request_iterator):
        return continuation(self._details(details), request_iterator)


def attach(channel, token):
    """``channel`` sending ``token`` on every call; ``channel`` itself when there is no token."""
    if token is None:
        return channel
    return grpc.intercept_channel(channel, _AddHeader(HEADER, token))
