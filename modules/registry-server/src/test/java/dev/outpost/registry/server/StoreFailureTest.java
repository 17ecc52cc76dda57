package dev.outpost.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.registry.server.RegistryHttp.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * While Kafka is away every write fails in the store. That is expected, so the registry says what
 * failed and what to check, in the answer and in one log line per request, without a stack trace.
 */
class StoreFailureTest {

  @Test
  void aStoreFailureAnswers500NamingTheCauseAndLogsNoStackTrace() {
    final SchemaStore down =
        new SchemaStore() {
          @Override
          public List<StoreRecord> replay() {
            return List.of();
          }

          @Override
          public void append(final StoreRecord record) {
            throw new SchemaStoreException(
                "Failed to write to topic _schemas",
                new TimeoutException("Topic _schemas not present in metadata after 30000 ms."));
          }

          @Override
          public void close() {
            // Nothing held.
          }
        };
    final PrintStream stderr = System.err;
    final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    final Reply reply;
    try (RegistryServer server = RegistryServer.builder().store(down).build()) {
      server.start();
      // slf4j-simple writes to whatever System.err is when it logs.
      System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
      try {
        reply =
            new RegistryHttp(server.url())
                .post("/subjects/alerts-value/versions", RegistryHttp.schemaBody(Schemas.V1));
      } finally {
        System.setErr(stderr);
      }
    }

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.errorCode()).isEqualTo(RestError.STORE_ERROR);
    assertThat(reply.message())
        .contains("The schema store on Kafka did not answer")
        .contains("Failed to write to topic _schemas")
        .contains("not present in metadata after 30000 ms")
        .contains("check that Kafka is reachable");

    final String log = logged.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .contains("WARN")
        .contains("POST /subjects/alerts-value/versions failed in the schema store")
        .contains("not present in metadata after 30000 ms")
        .doesNotContain("ERROR")
        .doesNotContain("\tat ")
        .doesNotContain("Exception:");
  }
}
