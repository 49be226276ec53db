"""The registry of function kinds: one processor per transform urn of fnharness.proto's Names."""
import inspect

from fnharness_worker import processors, protos


def test_every_function_kind_of_the_protos_has_exactly_one_processor():
    kinds = protos.enum_values(protos.FUNCTION_KIND)
    urns = {protos.urn(protos.FUNCTION_KIND, name) for name in kinds}
    assert len(urns) == len(kinds) >= 3
    assert sorted(kind.urn for kind in processors.KINDS) == sorted(urns)  # each urn once, none left out
    assert processors.PROCESSORS == {kind.urn: kind for kind in processors.KINDS}


def test_every_processor_has_the_one_signature():
    for kind in processors.KINDS:
        assert kind.payload_type.DESCRIPTOR.full_name.startswith("fnharness.v1."), kind
        assert list(inspect.signature(kind).parameters) == ["payload", "registration"], kind
        assert list(inspect.signature(kind.process).parameters) == ["self", "bundle"], kind
