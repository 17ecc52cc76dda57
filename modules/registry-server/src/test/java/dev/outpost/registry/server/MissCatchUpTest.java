package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.registry.CompatibilityLevel;
import dev.outpost.registry.server.RegistryHttp.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A read that finds nothing reads the store again for what other registries wrote. Those misses
 * are routine (the latest version of a subject not registered yet, an unknown id), so they must
 * not queue one Kafka read each, nor hold the workers that answer reads that find what they want.
 */
class MissCatchUpTest {

  /** How many misses come at once: twice the default number of workers. */
  private static final int MISSES = 8;

  @Test
  void aKnownSchemaIsServedWhileMissesWaitForASlowStore() throws Exception {
    final BlockingCatchUpStore store = new BlockingCatchUpStore();
    try (RegistryServer server =
        RegistryServer.builder().store(store).missWait(Duration.ofMillis(100)).build()) {
      server.start();
      final RegistryHttp http = new RegistryHttp(server.url());
      final int id = http.register("known-value", Schemas.V1);
      try {
        final HttpClient client = HttpClient.newHttpClient();
        final List<CompletableFuture<HttpResponse<String>>> misses = new ArrayList<>();
        for (int i = 0; i < MISSES; i++) {
          misses.add(
              client.sendAsync(
                  HttpRequest.newBuilder(
                          URI.create(server.url() + "/subjects/unknown-" + i + "/versions/latest"))
                      .timeout(Duration.ofSeconds(60))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(store.entered.await(30, TimeUnit.SECONDS)).as("a catch-up began").isTrue();

        // The store is still stuck; reads that hit are answered all the same.
        final Reply known = http.get("/schemas/ids/" + id);
        assertThat(known.status()).isEqualTo(200);
        assertThat(http.get("/subjects/known-value/versions/latest").status()).isEqualTo(200);

        for (final CompletableFuture<HttpResponse<String>> miss : misses) {
          final HttpResponse<String> answer = miss.get(30, TimeUnit.SECONDS);
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
          assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
          assertThat(answer.body())
              .contains("\"error_code\":50002")
              .contains("not found")
              .contains("check that Kafka is reachable");
        }
        assertThat(store.release.getCount()).as("the store was stuck throughout").isEqualTo(1);
        assertThat(store.calls.get()).as("catch-ups begun while the store was stuck").isEqualTo(1);
      } finally {
        store.release.countDown();
      }
      // Once the store answers, a miss is a plain 404 again.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(http.get("/subjects/unknown-0/versions/latest").status())
                      .isEqualTo(404));
    }
  }

  @Test
  void concurrentMissesShareCatchUpsInsteadOfOneEach() throws Exception {
    final BlockingCatchUpStore store = new BlockingCatchUpStore();
    final RegistryState state =
        new RegistryState(store, CompatibilityLevel.BACKWARD, Duration.ofSeconds(60));
    state.load();
    try {
      final List<Thread> readers = new ArrayList<>();
      final List<Throwable> answers = new CopyOnWriteArrayList<>();
      for (int i = 0; i < MISSES; i++) {
        final int id = 100 + i;
        final Thread reader =
            new Thread(
                () -> {
                  try {
                    state.schemaById(id);
                  } catch (final RuntimeException e) {
                    answers.add(e);
                  }
                },
                "miss-" + i);
        readers.add(reader);
        reader.start();
      }
      assertThat(store.entered.await(30, TimeUnit.SECONDS)).as("a catch-up began").isTrue();
      // Every miss has looked and is waiting for a catch-up.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  readers.stream()
                      .allMatch(
                          reader ->
                              reader.getState() == Thread.State.WAITING
                                  || reader.getState() == Thread.State.TIMED_WAITING));
      store.release.countDown();
      for (final Thread reader : readers) {
        reader.join(TimeUnit.SECONDS.toMillis(30));
      }

      assertThat(answers)
          .hasSize(MISSES)
          .allSatisfy(
              answer ->
                  assertThat(answer)
                      .isInstanceOfSatisfying(
                          RestError.class, error -> assertThat(error.status()).isEqualTo(404)));
      // The one running when they looked, and one more that began after, shared by the rest.
      assertThat(store.calls.get()).isBetween(1, 2);
    } finally {
      store.release.countDown();
      state.close();
    }
  }

  @Test
  void aMissFindsWhatAnotherRegistryWroteAndAFailingStoreIsAServerError() {
    final InMemorySchemaStore memory = new InMemorySchemaStore();
    final List<StoreRecord> theirs = new ArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    final SchemaStore shared =
        new SchemaStore() {
          @Override
          public List<StoreRecord> replay() {
            return memory.replay();
          }

          @Override
          public synchronized List<StoreRecord> catchUp() {
            if (failures.get() > 0) {
              failures.decrementAndGet();
              throw new SchemaStoreException("Timed out reading _schemas", null);
            }
            final List<StoreRecord> caught = List.copyOf(theirs);
            theirs.clear();
            return caught;
          }

          @Override
          public void append(final StoreRecord record) {
            memory.append(record);
          }

          @Override
          public void close() {
            // Nothing held.
          }
        };
    final RegistryState state =
        new RegistryState(shared, CompatibilityLevel.BACKWARD, Duration.ofSeconds(30));
    state.load();
    try {
      synchronized (shared) {
        theirs.add(new StoreRecord.SchemaVersion("theirs-value", 1, 7, Schemas.V1, false));
      }
      assertThat(state.schemaById(7)).isEqualTo(Schemas.V1);

      failures.set(1);
      assertThatThrownBy(() -> state.schemaById(8))
          .isInstanceOf(SchemaStoreException.class)
          .hasMessageContaining("Timed out reading _schemas");
      // The failure is not remembered: the next miss reads the store again.
      assertThatThrownBy(() -> state.schemaById(8))
          .isInstanceOfSatisfying(
              RestError.class, error -> assertThat(error.status()).isEqualTo(404));
    } finally {
      state.close();
    }
  }

  /** A store whose catch-up, once {@link #release} is open, finds nothing new; until then, hangs. */
  private static final class BlockingCatchUpStore implements SchemaStore {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    private final InMemorySchemaStore memory = new InMemorySchemaStore();

    @Override
    public List<StoreRecord> replay() {
      return memory.replay();
    }

    @Override
    public List<StoreRecord> catchUp() {
      calls.incrementAndGet();
      entered.countDown();
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new SchemaStoreException("Timed out reading _schemas", null);
        }
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaStoreException("Interrupted", e);
      }
      return List.of();
    }

    @Override
    public void append(final StoreRecord record) {
      memory.append(record);
    }

    @Override
    public void close() {
      // Nothing held.
    }
  }
}
