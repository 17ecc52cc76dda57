package dev.outpost.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.outpost.classifier.Classifier;
import dev.outpost.embedded.EmbeddedStack;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a pipeline returns only once its state listeners were told it stopped. Kafka Streams
 * tells them after its own close has seen the state, on another thread, so a process that exits
 * when close returns could cut the listeners (and the "-> NOT_RUNNING" log line) off.
 */
class PipelineCloseIT {

  @TempDir Path dir;

  @Test
  void closeReturnsOnlyAfterTheListenersWereToldItStopped() throws Exception {
    try (EmbeddedStack stack = EmbeddedStack.builder().dataDir(dir.resolve("stack")).kafkaPort(0).registryPort(0).build().start();
        SchemaRegistryClient registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl()))) {
      final Pipeline pipeline =
          Pipeline.start(
              PipelineConfig.defaults(),
              StreamsSettings.forDevCluster(stack.bootstrapServers(), dir.resolve("state")).withApplicationId("close-it"),
              Classifier.withDefaultRules(),
              PipelineSerdes.using(registry, Map.of()),
              new PipelineMetrics("close-it"),
              Clock.systemUTC());
      await().atMost(Duration.ofSeconds(90)).until(pipeline::isRunning);
      final CountDownLatch told = new CountDownLatch(1);
      final CountDownLatch release = new CountDownLatch(1);
      pipeline.onStateChange(
          (now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING) {
              told.countDown();
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });

      final CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> pipeline.close(Duration.ofSeconds(60)));
      assertThat(told.await(60, TimeUnit.SECONDS)).as("the listener was told of NOT_RUNNING").isTrue();
      // Kafka Streams' own close has seen NOT_RUNNING by now; the pipeline's must still wait.
      assertThatThrownBy(() -> closed.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
      release.countDown();
      assertThat(closed.get(60, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }
  }
}
