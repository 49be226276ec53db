"""The worker's state cache and keyed processor, against an in-memory stand-in for the runner's
State service (the real one is exercised end to end by the Java tests)."""
import pytest

from fnharness_worker import columns, keyed, protos, state


class InMemoryStateService:
    """Answers read_batch / write_batch / get_all like the runner, from dicts; counts calls."""

    def __init__(self):
        self.bags = {}
        self.maps = {}
        self.calls = []

    def _bag_key(self, request):
        field = request.state_key.WhichOneof("type")
        key = getattr(request.state_key, field)
        return field, key.user_state_id, key.key, getattr(key, "map_key", b"")

    def _get(self, request):
        field, state_id, key, map_key = self._bag_key(request)
        if field == "bag_user_state":
            return self.bags.get((state_id, key), b"")
        if field == "multimap_user_state":
            return self.maps.get((state_id, key), {}).get(map_key, b"")
        entries = self.maps.get((state_id, key), {})
        return b"".join(state.frame(k) + state.frame(v) for k, v in entries.items())

    def get_all(self, requests):
        self.calls.append(("get", len(requests)))
        return [self._get(r) for r in requests]

    def read_batch(self, instruction_id, gets):
        self.calls.append(("read_batch", len(gets)))
        return [self._get(r) for r in gets]

    def write_batch(self, instruction_id, writes):
        self.calls.append(("write_batch", len(writes)))
        for request in writes:
            field, state_id, key, map_key = self._bag_key(request)
            op = request.WhichOneof("request")
            if field == "bag_user_state":
                self.bags[(state_id, key)] = b"" if op == "clear" else self.bags.get((state_id, key), b"") + request.append.data
            elif field == "multimap_keys_user_state":
                self.maps.pop((state_id, key), None)
            elif op == "clear":
                self.maps.get((state_id, key), {}).pop(map_key, None)
            else:
                self.maps.setdefault((state_id, key), {})[map_key] = request.append.data


def test_frames_split_back_including_long_lengths():
    parts = [b"", b"x", b"y" * 300, b"z" * 70000]
    assert state.split_frames(b"".join(map(state.frame, parts))) == parts
    assert state.decode_elements(state.encode_element({"a": 1}) + state.encode_element(None)) == [{"a": 1}, None]


def test_key_bytes_match_the_runners_codec():
    assert keyed.key_bytes(columns.BIGINT, 1) == b"\x00" * 7 + b"\x01"
    assert keyed.key_bytes(columns.INT, -1) == b"\xff" * 8
    assert keyed.key_bytes(columns.STRING, "Ada") == b"Ada"
    assert keyed.key_bytes(columns.BOOLEAN, True) == b"\x01"


def _bundle(service, across_bundles=True, size=100):
    return state.BundleState(service, state.StateCache(size, across_bundles), "b1"), service


def test_writes_wait_for_the_bundle_end_and_go_in_one_batch():
    service = InMemoryStateService()
    cache = state.StateCache(100, True)
    bundle = state.BundleState(service, cache, "b1")
    for key in (b"k1", b"k2"):
        value = state.ValueState(bundle, "value:n", key)
        value.update((value.value() or 0) + 1)
        state.ListState(bundle, "list:l", key).add("x")
        state.MapState(bundle, "map:m", key).put("a", 1)
    assert service.bags == {}  # nothing written yet
    bundle.flush()
    assert service.calls.count(("write_batch", 10)) == 1  # 2 keys x (clear+append, append, clear+append)

    # A new bundle reads the cached values without asking the runner.
    service.calls.clear()
    bundle = state.BundleState(service, cache, "b2")
    assert state.ValueState(bundle, "value:n", b"k1").value() == 1
    assert service.calls == []
    # The list was only added to, never read: its stored items are unknown until read once.
    assert state.ListState(bundle, "list:l", b"k1").get() == ["x"]
    assert service.calls == [("get", 1)]


def test_values_lists_and_maps_survive_a_cold_cache():
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    state.ValueState(bundle, "value:n", b"k").update({"deep": [1, 2]})
    history = state.ListState(bundle, "list:l", b"k")
    history.add_all([1, 2])
    tally = state.MapState(bundle, "map:m", b"k")
    tally.put("a", 1)
    tally.put(("t", 2), 2)
    tally.remove("gone")
    bundle.flush()

    cold = state.BundleState(service, state.StateCache(100, True), "b2")
    assert state.ValueState(cold, "value:n", b"k").value() == {"deep": [1, 2]}
    history = state.ListState(cold, "list:l", b"k")
    calls = len(service.calls)
    history.add(3)  # adding does not read
    assert len(service.calls) == calls
    assert history.get() == [1, 2, 3]
    tally = state.MapState(cold, "map:m", b"k")
    assert tally.get("a") == 1 and "missing" not in tally
    assert sorted(tally.items(), key=repr) == [("a", 1), (("t", 2), 2)]
    tally.clear()
    cold.flush()
    assert state.MapState(state.BundleState(service, state.StateCache(10, True), "b3"), "map:m", b"k").is_empty()


def test_prefetch_reads_every_unread_key_in_one_batch():
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    bundle.prefetch({("value", "value:n"), ("list", "list:l")}, [b"a", b"b", b"c"])
    assert service.calls == [("read_batch", 6)]
    state.ValueState(bundle, "value:n", b"b").value()
    assert service.calls == [("read_batch", 6)]


def test_without_cross_bundle_caching_the_next_bundle_reads_again():
    service = InMemoryStateService()
    cache = state.StateCache(100, False)
    bundle = state.BundleState(service, cache, "b1")
    state.ValueState(bundle, "value:n", b"k").update(5)
    bundle.flush()
    assert cache.cells == {}


class _Processor:
    used = set()


def test_the_context_records_timers_and_refuses_bad_timestamps():
    actions = []
    ctx = keyed.KeyedContext(_Processor(), None, actions)
    ctx.register_event_time_timer(10)
    ctx.delete_processing_time_timer(20)
    assert actions == [(protos.KEYED_ACTION["KEYED_ACTION_REGISTER_EVENT_TIME_TIMER"], 10),
                       (protos.KEYED_ACTION["KEYED_ACTION_DELETE_PROCESSING_TIME_TIMER"], 20)]
    with pytest.raises(TypeError, match="register_event_time_timer needs an int timestamp"):
        ctx.register_event_time_timer(1.5)
