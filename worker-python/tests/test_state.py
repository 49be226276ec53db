"""The worker's state cache and keyed processor, against an in-memory stand-in for the runner's
State service (the real one is exercised end to end by the Java tests)."""
import pickle

import pytest

from fnharness_worker import columns, keyed, protos, state, state_cells, state_client


class InMemoryStateService:
    """Answers read_batch / write_batch / get_all like the runner, from dicts; counts calls."""

    def __init__(self):
        self.bags = {}
        self.maps = {}
        self.calls = []

    def _get(self, request):
        field = request.state_key.WhichOneof("type")
        key = getattr(request.state_key, field)
        if field == "bag_user_state":
            return self.bags.get((key.user_state_id, key.key), b"")
        entries = self.maps.get((key.user_state_id, key.key), {})
        if field == "multimap_user_state":
            return entries.get(key.map_key, b"")
        return b"".join(state_cells.frame(k) + state_cells.frame(v) for k, v in entries.items())

    def get_all(self, requests):
        self.calls.append(("get", len(requests)))
        return [self._get(r) for r in requests]

    def read_batch(self, instruction_id, reads):
        self.calls.append(("read_batch", sum(len(r.keys) for r in reads.bags) + sum(len(r.keys) for r in reads.maps)))
        results = protos.StateBatchResults()
        for bag in reads.bags:
            results.bags.extend(self.bags.get((bag.user_state_id, key), b"") for key in bag.keys)
        for batch in reads.maps:
            for key in batch.keys:
                entries = self.maps.get((batch.user_state_id, key), {})
                too_large = len(entries) > batch.max_entries
                results.map_too_large.append(too_large)
                results.map_entry_counts.append(0 if too_large else len(entries))
                if not too_large:
                    results.map_keys.extend(entries)
                    results.map_values.extend(entries.values())
        # The runner's answer crosses the wire: the worker must parse what it gets.
        return protos.StateBatchResults.FromString(results.SerializeToString())

    def write_batch(self, instruction_id, writes):
        writes = protos.StateBatchWrites.FromString(writes.SerializeToString())
        self.calls.append(("write_batch", sum(len(w.keys) for w in writes.bags) + sum(len(w.keys) for w in writes.maps)))
        for bag in writes.bags:
            for key, clear, data in zip(bag.keys, bag.clear, bag.appends, strict=True):
                old = b"" if clear else self.bags.get((bag.user_state_id, key), b"")
                self.bags[(bag.user_state_id, key)] = old + data
        for batch in writes.maps:
            entry = 0
            for key, clear, count in zip(batch.keys, batch.clear, batch.entry_counts, strict=True):
                entries = self.maps.setdefault((batch.user_state_id, key), {})
                if clear:
                    entries.clear()
                for map_key, value in zip(batch.map_keys[entry:entry + count], batch.values[entry:entry + count]):
                    if value:
                        entries[map_key] = value
                    else:
                        entries.pop(map_key, None)
                entry += count


def test_frames_split_back_including_long_lengths():
    parts = [b"", b"x", b"y" * 300, b"z" * 70000]
    assert state_cells.split_frames(b"".join(map(state_cells.frame, parts))) == parts
    assert state_cells.decode_elements(
        state_cells.encode_element({"a": 1}) + state_cells.encode_element(None)) == [{"a": 1}, None]


def test_key_bytes_match_the_runners_codec():
    assert state_client.key_bytes(columns.BIGINT, 1) == b"\x00" * 7 + b"\x01"
    assert state_client.key_bytes(columns.INT, -1) == b"\xff" * 8
    assert state_client.key_bytes(columns.STRING, "Ada") == b"Ada"
    assert state_client.key_bytes(columns.BOOLEAN, True) == b"\x01"


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
    # 2 keys x (value, list, map) in one request
    assert [call for call in service.calls if call[0] == "write_batch"] == [("write_batch", 6)]

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


def test_a_state_first_needed_mid_batch_is_read_for_every_key_of_the_batch_at_once():
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    for key in (b"a", b"b", b"c"):
        state.ValueState(bundle, "value:n", key).update(1)
        state.MapState(bundle, "map:m", key).put("x", 1)
    bundle.flush()

    service.calls.clear()
    bundle = state.BundleState(service, state.StateCache(100, True), "b2")
    bundle.begin_batch([b"a", b"b", b"c", b"new"], set())  # nothing used yet: no read
    assert service.calls == []
    assert [state.ValueState(bundle, "value:n", key).value() for key in (b"b", b"a", b"new", b"c")] == [1, 1, None, 1]
    assert service.calls == [("read_batch", 4)]
    assert state.MapState(bundle, "map:m", b"c").get("x") == 1
    assert state.MapState(bundle, "map:m", b"a").get("y") is None
    assert state.MapState(bundle, "map:m", b"new").items() == []
    assert service.calls == [("read_batch", 4), ("read_batch", 4)]

    # The next batch reads the states it names before it runs, only for keys not in the cache.
    bundle.begin_batch([b"a", b"d"], {("value", "value:n"), ("map", "map:m")})
    assert service.calls == [("read_batch", 4), ("read_batch", 4), ("read_batch", 2)]
    assert state.ValueState(bundle, "value:n", b"d").value() is None
    assert len(service.calls) == 3


def test_prefetch_reads_small_maps_whole_and_large_ones_entry_by_entry():
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    small, large = state.MapState(bundle, "map:m", b"small"), state.MapState(bundle, "map:m", b"large")
    small.put("a", 1)
    for i in range(state_cells.MAP_PREFETCH_ENTRIES + 1):
        large.put(i, i)
    bundle.flush()

    service.calls.clear()
    bundle = state.BundleState(service, state.StateCache(100, True), "b2")
    bundle.prefetch({("map", "map:m")}, [b"small", b"large", b"none"])
    assert service.calls == [("read_batch", 3)]
    small, none = state.MapState(bundle, "map:m", b"small"), state.MapState(bundle, "map:m", b"none")
    assert small.get("a") == 1 and small.get("missing") is None and none.is_empty()
    assert small.items() == [("a", 1)]
    assert service.calls == [("read_batch", 3)]  # all answered by the prefetch, misses too
    large = state.MapState(bundle, "map:m", b"large")
    assert large.get(7) == 7
    assert service.calls == [("read_batch", 3), ("get", 1)]
    # Tried once: the next batch does not ask for the large map again.
    bundle.prefetch({("map", "map:m")}, [b"small", b"large"])
    assert service.calls == [("read_batch", 3), ("get", 1)]


def test_a_prefetched_map_keeps_the_entries_the_worker_wrote_since():
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    state.MapState(bundle, "map:m", b"k").put("a", 1)
    bundle.flush()
    bundle = state.BundleState(service, state.StateCache(100, True), "b2")
    tally = state.MapState(bundle, "map:m", b"k")
    tally.put("a", 2)
    tally.put("b", 3)
    bundle.prefetch({("map", "map:m")}, [b"k"])
    assert sorted(tally.items()) == [("a", 2), ("b", 3)]


def test_map_writes_remove_and_clear_entries():
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    tally = state.MapState(bundle, "map:m", b"k")
    tally.put("a", 1)
    tally.put("b", 2)
    bundle.flush()
    bundle = state.BundleState(service, state.StateCache(100, True), "b2")
    tally = state.MapState(bundle, "map:m", b"k")
    tally.remove("a")
    bundle.flush()
    assert set(service.maps[("map:m", b"k")]) == {pickle.dumps("b", protocol=4)}
    bundle = state.BundleState(service, state.StateCache(100, True), "b3")
    tally = state.MapState(bundle, "map:m", b"k")
    tally.clear()
    tally.put("c", 3)
    bundle.flush()
    assert service.maps[("map:m", b"k")] == {pickle.dumps("c", protocol=4): state_cells.encode_element(3)}


def test_stored_bytes_keep_the_format_of_existing_checkpoints():
    # A value is one framed pickle, a list one per item: what the per-key requests stored before.
    service = InMemoryStateService()
    bundle = state.BundleState(service, state.StateCache(100, True), "b1")
    state.ValueState(bundle, "value:v", b"k").update("x" * 200)
    state.ListState(bundle, "list:l", b"k").add_all([1, (2, 3)])
    state.ValueState(bundle, "value:gone", b"k").update(None)
    bundle.flush()
    assert service.bags[("value:v", b"k")] == state_cells.frame(pickle.dumps("x" * 200, protocol=4))
    assert service.bags[("list:l", b"k")] == b"".join(state_cells.frame(pickle.dumps(v, protocol=4)) for v in [1, (2, 3)])
    assert service.bags[("value:gone", b"k")] == b""


def test_decode_last_reads_short_long_and_repeated_elements():
    short, long_value = state_cells.encode_element(5), state_cells.encode_element("y" * 1000)
    assert state_cells.decode_last(b"") is state_cells.ABSENT
    assert state_cells.decode_last(short) == 5
    assert state_cells.decode_last(long_value) == "y" * 1000
    assert state_cells.decode_last(short + long_value) == "y" * 1000
    assert state_cells.decode_last(long_value + short) == 5


def test_a_short_batched_answer_is_a_state_error():
    class ShortAnswers(InMemoryStateService):
        def read_batch(self, instruction_id, reads):
            return protos.StateBatchResults(bags=[b""])

    bundle = state.BundleState(ShortAnswers(), state.StateCache(100, True), "b1")
    with pytest.raises(state_client.StateError, match="the runner answered 1 batched bag reads, fewer than asked"):
        bundle.prefetch({("value", "value:n")}, [b"a", b"b"])


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
