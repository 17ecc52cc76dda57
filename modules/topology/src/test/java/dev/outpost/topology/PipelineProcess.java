package dev.outpost.topology;

import dev.outpost.classifier.Classifier;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline instance in a JVM of its own, for the test that kills one mid-stream: it runs until
 * the process is killed. Arguments: bootstrap servers, registry URL, state directory, application
 * id, and optionally the replication factor of the internal topics (3 unless given).
 */
public final class PipelineProcess {

  private PipelineProcess() {}

  /**
   * @param args bootstrap servers, registry URL, state directory, application id, and optionally
   *     the internal topics' replication factor
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(final String[] args) throws InterruptedException {
    final HttpSchemaRegistryClient registry =
        new HttpSchemaRegistryClient(RegistryClientConfig.of(args[1]));
    final Pipeline pipeline =
        Pipeline.start(
            PipelineConfig.defaults(),
            StreamsSettings.forDevCluster(args[0], Path.of(args[2]))
                .withApplicationId(args[3])
                .withOverrides(ExactlyOnceUnderFailureIT.fastFailover(args.length > 4 ? Integer.parseInt(args[4]) : 3)),
            Classifier.withDefaultRules(),
            PipelineSerdes.using(registry, Map.of()),
            new PipelineMetrics("child"),
            Clock.systemUTC());
    while (!pipeline.isRunning()) {
      Thread.onSpinWait();
    }
    System.out.println("RUNNING");
    System.out.flush();
    // Progress for the test, which kills this process only once it has done some of the work.
    final AtomicLong reported = new AtomicLong(-1);
    // Runs until the test kills this process.
    final ScheduledFuture<?> unused =
        Executors.newSingleThreadScheduledExecutor()
            .scheduleAtFixedRate(
                () -> {
                  final long done = pipeline.metrics().classifiedItems();
                  if (reported.getAndSet(done) != done) {
                    System.out.println("classified " + done);
                    System.out.flush();
                  }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
    Thread.currentThread().join();
  }
}
