package dev.outpost.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.internals.TimeWindow;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.InternalFixedKeyRecordFactory;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.Test;

/** The dedupe step on its own, against a store that counts its reads. */
class DeduplicatorTest {

  private static final Duration WINDOW = Duration.ofDays(7);
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long NOW = 1_800_000_000_000L;

  /** A window store of (id, time) pairs, the only calls the step makes, with its reads counted. */
  private static final class Store {
    final TreeMap<String, TreeMap<Long, Long>> entries = new TreeMap<>();
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicInteger scans = new AtomicInteger();

    void put(final String id, final Long value, final long at) {
      entries.computeIfAbsent(id, k -> new TreeMap<>()).put(at, value);
    }

    @SuppressWarnings("unchecked")
    WindowStore<String, Long> asStore() {
      return (WindowStore<String, Long>)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {WindowStore.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "put" -> {
                      put((String) args[0], (Long) args[1], (Long) args[2]);
                      yield null;
                    }
                    case "fetch" -> {
                      fetches.incrementAndGet();
                      final TreeMap<Long, Long> times = entries.getOrDefault((String) args[0], new TreeMap<>());
                      yield windowIterator(times.subMap((Long) args[1], true, (Long) args[2], true));
                    }
                    case "all" -> {
                      scans.incrementAndGet();
                      final List<KeyValue<Windowed<String>, Long>> all = new ArrayList<>();
                      entries.forEach(
                          (id, times) ->
                              times.forEach((at, v) -> all.add(KeyValue.pair(new Windowed<>(id, new TimeWindow(at, at + 1)), v))));
                      yield allIterator(all.iterator());
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                  });
    }
  }

  private static WindowStoreIterator<Long> windowIterator(final Map<Long, Long> times) {
    final Iterator<Map.Entry<Long, Long>> it = times.entrySet().iterator();
    return new WindowStoreIterator<>() {
      @Override
      public void close() {}

      @Override
      public Long peekNextKey() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue<Long, Long> next() {
        final Map.Entry<Long, Long> e = it.next();
        return KeyValue.pair(e.getKey(), e.getValue());
      }
    };
  }

  private static KeyValueIterator<Windowed<String>, Long> allIterator(final Iterator<KeyValue<Windowed<String>, Long>> it) {
    return new KeyValueIterator<>() {
      @Override
      public void close() {}

      @Override
      public Windowed<String> peekNextKey() {
        throw new UnsupportedOperationException();
      }

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public KeyValue<Windowed<String>, Long> next() {
        return it.next();
      }
    };
  }

  /** The step over a store, with what it forwards and drops. */
  private static final class Step {
    final List<String> forwarded = new ArrayList<>();
    final AtomicInteger duplicates = new AtomicInteger();
    final Deduplicator<String> dedupe = new Deduplicator<>("seen", WINDOW, duplicates::incrementAndGet, Function.identity());
    long streamTime = -1;

    @SuppressWarnings("unchecked")
    Step(final Store store) {
      final WindowStore<String, Long> seen = store.asStore();
      dedupe.init(
          (FixedKeyProcessorContext<String, String>)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {FixedKeyProcessorContext.class},
                  (proxy, method, args) ->
                      switch (method.getName()) {
                        case "getStateStore" -> seen;
                        case "currentStreamTimeMs" -> streamTime;
                        case "forward" -> {
                          forwarded.add(((FixedKeyRecord<String, String>) args[0]).value());
                          yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                      }));
    }

    void process(final String id, final long time) {
      dedupe.process(InternalFixedKeyRecordFactory.create(new Record<>(id, id, time)));
      streamTime = Math.max(streamTime, time);
    }
  }

  @Test
  void aFirstDeliveryIsNotLookedUpAndARepeatIsFoundAndDropped() {
    final Store store = new Store();
    final Step step = new Step(store);
    step.process("a", NOW);
    step.process("b", NOW + 1);
    assertThat(store.fetches).hasValue(0);

    step.process("a", NOW + 2);
    assertThat(store.fetches).hasValue(1);
    assertThat(step.forwarded).containsExactly("a", "b");
    assertThat(step.duplicates).hasValue(1);
  }

  @Test
  void idsTheStoreHeldBeforeTheStepStartedAreRepeats() {
    final Store store = new Store();
    store.put("restored-1", NOW, NOW);
    store.put("restored-2", NOW, NOW - DAY);
    final Step step = new Step(store);
    assertThat(store.scans).hasValue(1);

    step.process("restored-1", NOW + DAY);
    step.process("restored-2", NOW + DAY);
    step.process("new", NOW + DAY);
    assertThat(step.forwarded).containsExactly("new");
    assertThat(step.duplicates).hasValue(2);
  }

  @Test
  void anIdPastTheWindowIsLookedUpAndLetThrough() {
    final Store store = new Store();
    final Step step = new Step(store);
    step.process("old", NOW);
    step.process("old", NOW + 3 * WINDOW.toMillis());
    assertThat(store.fetches).hasValue(1);
    assertThat(step.forwarded).containsExactly("old", "old");
  }

  @Test
  void pastItsCapacityTheFilterIsRebuiltFromTheStoreAndNoRepeatGetsThrough() {
    final Store store = new Store();
    final Step step = new Step(store);
    final int ids = IdFilter.MIN_CAPACITY + 1_000;
    for (int i = 0; i < ids; i++) {
      step.process("id-" + i, NOW + i);
    }
    assertThat(store.scans).as("built at start, then rebuilt once full").hasValue(2);
    for (int i = 0; i < ids; i += 7) {
      step.process("id-" + i, NOW + ids);
    }
    assertThat(step.forwarded).hasSize(ids);
    assertThat(step.duplicates).hasValue((ids + 6) / 7);
    // Few first deliveries were looked up: the filter's false "maybe"s only.
    assertThat(store.fetches.get() - step.duplicates.get()).isLessThan(ids / 100);
  }
}
