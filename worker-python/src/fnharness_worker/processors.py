"""Picks the bundle processor for a ProcessBundleDescriptor by its transform's urn."""
from . import protos
from .expressions import RegisterError
from .scalar import TRANSFORM_ID, ScalarFunctionProcessor
from .table import TableFunctionProcessor

_PAYLOADS = {
    protos.SCALAR_FUNCTION_URN: (protos.ScalarFunctionPayload, ScalarFunctionProcessor),
    protos.TABLE_FUNCTION_URN: (protos.TableFunctionPayload, TableFunctionProcessor),
}


def from_descriptor(descriptor, python_files):
    """The processor for the descriptor's only transform, ``"fn"``; loads its functions."""
    transforms = descriptor.transforms
    if list(transforms) != [TRANSFORM_ID]:
        raise RegisterError(
            f"process bundle descriptor '{descriptor.id}' must hold exactly one transform "
            f"'{TRANSFORM_ID}', it holds {sorted(transforms)}")
    spec = transforms[TRANSFORM_ID].spec
    known = _PAYLOADS.get(spec.urn)
    if known is None:
        raise RegisterError(
            f"process bundle descriptor '{descriptor.id}': unsupported transform urn "
            f"'{spec.urn}', expected one of {sorted(_PAYLOADS)}")
    payload_type, processor = known
    return processor(payload_type.FromString(spec.payload), python_files)
