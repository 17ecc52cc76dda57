package dev.outpost.topology;

import dev.outpost.classifier.Classifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the pipeline: the topology in a {@link KafkaStreams} client, with
 * Outpost's {@link UncaughtExceptionPolicy}. Closing it commits what was processed and leaves the
 * consumer group, so another instance takes the partitions over at once.
 */
public final class Pipeline implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final KafkaStreams streams;
  private final PipelineMetrics metrics;
  private final PipelineSerdes serdes;
  private final List<KafkaStreams.StateListener> listeners = new CopyOnWriteArrayList<>();
  /** Down once the listeners were told of NOT_RUNNING: see {@link #close(Duration)}. */
  private final CountDownLatch toldStopped = new CountDownLatch(1);

  private Pipeline(final KafkaStreams streams, final PipelineMetrics metrics, final PipelineSerdes serdes) {
    this.streams = streams;
    this.metrics = metrics;
    this.serdes = serdes;
  }

  /**
   * Builds the topology and starts it.
   *
   * @param config topics and limits
   * @param settings how to run on the cluster
   * @param classifier the classifier
   * @param serdes the key and value serdes
   * @param metrics the instance's counts; closed with the pipeline
   * @param clock stamps {@code classifiedAt}
   * @return the started pipeline
   * @throws IllegalArgumentException when the settings cannot run this config safely (see {@link
   *     StreamsSettings#requireSafeWith})
   */
  public static Pipeline start(
      final PipelineConfig config,
      final StreamsSettings settings,
      final Classifier classifier,
      final PipelineSerdes serdes,
      final PipelineMetrics metrics,
      final Clock clock) {
    settings.requireSafeWith(config);
    final Topology topology = OutpostTopology.build(config, classifier, serdes, metrics, clock);
    final KafkaStreams streams = new KafkaStreams(topology, settings.toProperties(config, metrics));
    final Pipeline pipeline = new Pipeline(streams, metrics, serdes);
    streams.setUncaughtExceptionHandler(new UncaughtExceptionPolicy());
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Pipeline {}: {} -> {}", settings.applicationId(), before, now);
          try {
            pipeline.listeners.forEach(l -> l.onChange(now, before));
          } finally {
            // Even past a listener that threw: close() waits on this, not on the listeners.
            if (now == KafkaStreams.State.NOT_RUNNING) {
              pipeline.toldStopped.countDown();
            }
          }
        });
    streams.start();
    return pipeline;
  }

  /**
   * Tells a listener of every later change of the pipeline's state; one that comes after the
   * change it waits for should check {@link KafkaStreams#state()} first.
   *
   * @param listener the listener
   */
  public void onStateChange(final KafkaStreams.StateListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** @return the Kafka Streams client, for its state and metrics */
  public KafkaStreams streams() {
    return streams;
  }

  /** @return what this instance counted */
  public PipelineMetrics metrics() {
    return metrics;
  }

  /**
   * @return true once the pipeline is processing
   */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * @param timeout how long to wait for the stream threads to finish
   * @return true when they finished in time
   */
  public boolean close(final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    final boolean done =
        streams.close(
            CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (done) {
      // Kafka Streams tells its state listener of NOT_RUNNING after close() has seen the state,
      // outside its lock, on its own thread: wait for that too, within the timeout, so that what
      // the listeners do (the log line, a caller's own wait) is done when close returns, and a
      // process that exits next does not cut it off.
      try {
        toldStopped.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    serdes.itemIds().close();
    serdes.newsItems().close();
    serdes.classifiedItems().close();
    serdes.alerts().close();
    metrics.close();
    return done;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }
}
