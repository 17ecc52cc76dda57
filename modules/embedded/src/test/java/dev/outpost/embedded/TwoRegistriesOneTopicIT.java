package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.Topics;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.server.KafkaSchemaStore;
import dev.outpost.registry.server.RegistryServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two registry servers on one broker and one {@code _schemas} topic, both taking registrations at
 * once: every id they hand out names exactly one schema, and both servers answer the same schema
 * for every id and the same id for every subject.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TwoRegistriesOneTopicIT {

  private static final int SUBJECTS_PER_REGISTRY = 30;

  /** One registration as a server answered it. */
  private record Registered(String subject, Schema schema, int id) {}

  @Test
  void concurrentRegistrationsThroughTwoRegistriesNeverShareAnId() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().build().start();
        KafkaSchemaStore secondStore =
            new KafkaSchemaStore(
                stack.bootstrapServers(), Topics.REGISTRY_SCHEMAS.name(), (short) 1, Map.of());
        RegistryServer second = RegistryServer.builder().store(secondStore).build()) {
      second.start();
      final List<String> urls = List.of(stack.registryUrl(), second.url());

      final List<Registered> registered = new ArrayList<>();
      final ExecutorService pool = Executors.newFixedThreadPool(urls.size());
      try {
        final List<Future<List<Registered>>> results = new ArrayList<>();
        for (int r = 0; r < urls.size(); r++) {
          results.add(pool.submit(registerMany(urls.get(r), "r" + r)));
        }
        for (final Future<List<Registered>> result : results) {
          registered.addAll(result.get(150, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(registered).hasSize(urls.size() * SUBJECTS_PER_REGISTRY);

      final Map<Integer, Set<Schema>> schemasById = new HashMap<>();
      for (final Registered one : registered) {
        schemasById.computeIfAbsent(one.id(), id -> new HashSet<>()).add(one.schema());
      }
      assertThat(schemasById)
          .as("schemas handed each id")
          .hasSize(registered.size())
          .allSatisfy((id, schemas) -> assertThat(schemas).as("id %d", id).hasSize(1));

      for (final String url : urls) {
        // A fresh client: nothing cached, every answer comes from the server.
        try (HttpSchemaRegistryClient reader =
            new HttpSchemaRegistryClient(RegistryClientConfig.of(url))) {
          for (final Registered one : registered) {
            assertThat(reader.getById(one.id()))
                .as("schema of id %d from %s", one.id(), url)
                .isEqualTo(one.schema());
            assertThat(reader.latest(one.subject()).id())
                .as("id of %s from %s", one.subject(), url)
                .isEqualTo(one.id());
          }
        }
      }
    }
  }

  /** Registers distinct schemas under distinct subjects, one after another, through one server. */
  private static Callable<List<Registered>> registerMany(final String url, final String prefix) {
    return () -> {
      final List<Registered> done = new ArrayList<>();
      try (HttpSchemaRegistryClient client =
          new HttpSchemaRegistryClient(RegistryClientConfig.of(url))) {
        for (int i = 0; i < SUBJECTS_PER_REGISTRY; i++) {
          final String subject = String.format(Locale.ROOT, "%s-subject-%d-value", prefix, i);
          final Schema schema =
              SchemaBuilder.record("Thing")
                  .namespace("it.two.registries")
                  .fields()
                  .requiredString(prefix + "_field_" + i)
                  .endRecord();
          done.add(new Registered(subject, schema, client.register(subject, schema)));
        }
      }
      return done;
    };
  }
}
