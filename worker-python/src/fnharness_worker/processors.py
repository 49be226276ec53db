"""Function kinds: the one registry of bundle processors, keyed by transform urn, and their signature.

Every kind of function (scalar, table, keyed; later vectorized, async, aggregate...) is one
processor class in a module of its own, listed in :data:`KINDS`. A processor class has

* ``urn``: the transform urn it runs, one of fnharness.v1.Names.FunctionKind's (``protos``);
* ``payload_type``: the message class of its transform's payload;
* ``__init__(payload, registration)``: built once per registered process bundle descriptor
  (one Flink operator instance), from the parsed payload and a :class:`Registration`; it loads
  its functions with ``registration.load`` (which gives them their lifecycle) and raises
  ``RegisterError`` for what cannot work;
* ``process(bundle)``: runs one bundle, given a :class:`BundleContext`; raises ``BundleError``
  with the text the runner shows.

Nothing else in the worker knows the kinds apart.
"""
from . import keyed, protos, scalar, table
from .errors import BundleError, RegisterError
from .lifecycle import FunctionContext, FunctionInstances

KINDS = [
    scalar.ScalarFunctionProcessor,
    table.TableFunctionProcessor,
    keyed.KeyedFunctionProcessor,
]
PROCESSORS = {kind.urn: kind for kind in KINDS}


class Registration:
    """What a processor is built with at register time, besides its payload."""

    def __init__(self, python_files=(), context=None, descriptor_id="", state_url=""):
        self.descriptor_id = descriptor_id
        # The descriptor's functions: loaded once, function classes instantiated once each.
        self.functions = FunctionInstances(python_files, context or FunctionContext())
        self.state_url = state_url  # the descriptor's State endpoint, "" if the runner gave none

    @classmethod
    def of(cls, descriptor, python_files):
        return cls(python_files, FunctionContext.of_transform(transform_of(descriptor)), descriptor.id,
                   descriptor.state_api_service_descriptor.url)

    def load(self, module, qualname):
        """The callable for ``module:qualname`` (lifecycle.FunctionInstances.load)."""
        return self.functions.load(module, qualname)


class BundleContext:
    """What a processor gets for one bundle. Later kinds' needs (metrics, progress) join here."""

    __slots__ = ("instruction_id", "inputs", "send", "_open_state_client")

    def __init__(self, instruction_id, inputs, send, open_state_client=None):
        self.instruction_id = instruction_id
        self.inputs = inputs  # the serialized input RowBatches (bytes), up to the bundle's is_last
        self.send = send  # send(bytes): one serialized output RowBatch
        self._open_state_client = open_state_client  # () -> the descriptor's StateClient

    def state_client(self):
        """The State stream of the bundle's descriptor, opened on first use."""
        if self._open_state_client is None:
            raise BundleError("this bundle has no State endpoint")
        return self._open_state_client()


def transform_of(descriptor):
    """The descriptor's only transform, ``TRANSFORM_ID``."""
    transforms = descriptor.transforms
    if list(transforms) != [protos.TRANSFORM_ID]:
        raise RegisterError(
            f"process bundle descriptor '{descriptor.id}' must hold exactly one transform "
            f"'{protos.TRANSFORM_ID}', it holds {sorted(transforms)}")
    return transforms[protos.TRANSFORM_ID]


def from_descriptor(descriptor, registration):
    """The processor for the descriptor's transform, by its urn; loads its functions."""
    spec = transform_of(descriptor).spec
    kind = PROCESSORS.get(spec.urn)
    if kind is None:
        raise RegisterError(
            f"process bundle descriptor '{descriptor.id}': unsupported transform urn "
            f"'{spec.urn}', expected one of {sorted(PROCESSORS)}")
    return kind(kind.payload_type.FromString(spec.payload), registration)
