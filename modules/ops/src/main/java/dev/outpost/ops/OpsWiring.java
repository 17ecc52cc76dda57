package dev.outpost.ops;

import dev.outpost.ops.lag.GroupLag;
import dev.outpost.ops.lag.LagEvents;
import dev.outpost.ops.lag.LagMonitor;
import dev.outpost.ops.lag.StatusRules;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a long-running process puts on its ops server, made in one place: a Prometheus registry
 * with the process's own meters, a lag monitor sampling every consumer group (or the groups
 * given) every five seconds with a history of those samples for trend lines, dead letters counted
 * from their topic when asked (their surges written as ops events, as lag status changes are), and
 * {@link OpsEndpoints} over them. The server knows none of the process's parts: each comes in as a plain
 * value (a {@link MeterBinder}, a readiness and a summary supplier, what to close).
 *
 * <pre>{@code
 * OpsWiring wiring = OpsWiring.on(server, kafkaProperties, clock)
 *     .meters(binder)
 *     .readiness(() -> new OpsEndpoints.Readiness(running(), "..."))
 *     .summary(counts::summary)
 *     .install();
 * }</pre>
 */
public final class OpsWiring implements AutoCloseable {

  /** How often lag is sampled. */
  public static final Duration LAG_SAMPLE_INTERVAL = Duration.ofSeconds(5);

  /** How many samples of each group's lag the trend lines show: ten minutes' worth. */
  public static final int LAG_HISTORY_SAMPLES = 120;

  /** How often the dead-letter topics are read for what was added. */
  public static final Duration DEAD_LETTER_INTERVAL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(OpsWiring.class);

  private final List<AutoCloseable> closing;
  private final LagMonitor lag;
  private final LagEvents events;
  private final PrometheusMeterRegistry registry;
  private final ScheduledExecutorService historian;
  private final DeadLetterCounts deadLetters;

  private OpsWiring(
      final List<AutoCloseable> closing,
      final LagMonitor lag,
      final LagEvents events,
      final PrometheusMeterRegistry registry,
      final ScheduledExecutorService historian,
      final DeadLetterCounts deadLetters) {
    this.closing = closing;
    this.lag = lag;
    this.events = events;
    this.registry = registry;
    this.historian = historian;
    this.deadLetters = deadLetters;
  }

  /**
   * @param server the ops server
   * @param kafkaProperties client properties with {@code bootstrap.servers}, for the lag monitor
   * @param clock the time lag is sampled at
   * @return a builder of what goes on the server
   */
  public static Builder on(final OpsServer server, final Map<String, Object> kafkaProperties, final Clock clock) {
    return new Builder(server, kafkaProperties, clock);
  }

  /**
   * Closes what was handed to {@link Builder#closing}, in that order, then the dead-letter counts,
   * the lag monitor and the registry. The server itself is the caller's.
   */
  @Override
  public void close() {
    historian.shutdownNow();
    for (final AutoCloseable c : closing) {
      try {
        c.close();
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Interrupted while closing {}", c);
      } catch (final Exception e) {
        LOG.warn("Could not close {}: {}", c, e.toString());
      }
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
    lag.close();
    if (events != null) {
      events.close();
    }
    registry.close();
  }

  /** What goes on the ops server; {@link #install} puts it there. */
  public static final class Builder {
    private final OpsServer server;
    private final Map<String, Object> kafkaProperties;
    private final Clock clock;
    private final List<MeterBinder> meters = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private List<String> groups = List.of();
    private Function<List<GroupLag>, OpsEndpoints.Readiness> readiness;
    private Supplier<Map<String, Object>> summary = Map::of;
    private String deadLetterTopic;
    private String reasonHeader;
    private DeadLetterSurges.Rule surges = DeadLetterSurges.Rule.DEFAULT;
    private boolean opsEvents;

    private Builder(final OpsServer server, final Map<String, Object> kafkaProperties, final Clock clock) {
      this.server = Objects.requireNonNull(server, "server");
      this.kafkaProperties = Objects.requireNonNull(kafkaProperties, "kafkaProperties");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param binder meters of the process's own, bound to the registry {@code /metrics} serves
     * @return this builder
     */
    public Builder meters(final MeterBinder binder) {
      meters.add(Objects.requireNonNull(binder, "binder"));
      return this;
    }

    /**
     * @param ready what {@code /health/ready} reports; required
     * @return this builder
     */
    public Builder readiness(final Supplier<OpsEndpoints.Readiness> ready) {
      Objects.requireNonNull(ready, "ready");
      readiness = lag -> ready.get();
      return this;
    }

    /**
     * For a process whose work is watching lag, such as a standalone ops server.
     *
     * @param ready what {@code /health/ready} reports, from the last lag sample of every group
     *     watched; required unless {@link #readiness(Supplier)} is given instead
     * @return this builder
     */
    public Builder readinessFromLag(final Function<List<GroupLag>, OpsEndpoints.Readiness> ready) {
      readiness = Objects.requireNonNull(ready, "ready");
      return this;
    }

    /**
     * @param names the consumer groups whose lag is sampled; every consumer group unless given,
     *     or when empty
     * @return this builder
     */
    public Builder groups(final Collection<String> names) {
      groups = List.copyOf(names);
      return this;
    }

    /**
     * @param counts what {@code /api/summary} reports for the dashboard; empty unless given
     * @return this builder
     */
    public Builder summary(final Supplier<Map<String, Object>> counts) {
      summary = Objects.requireNonNull(counts, "counts");
      return this;
    }

    /**
     * Counts dead letters by reason from the dead-letter topic and every namespace's copy of it,
     * for {@link OpsEndpoints#DEAD_LETTERS_PATH}, and writes their surges as ops events ({@link
     * DeadLetterSurges}); not counted unless given.
     *
     * @param topic the dead-letter topic's name
     * @param header the header whose value is a dead letter's reason
     * @return this builder
     */
    public Builder deadLetters(final String topic, final String header) {
      deadLetterTopic = Objects.requireNonNull(topic, "topic");
      reasonHeader = Objects.requireNonNull(header, "header");
      return this;
    }

    /**
     * @param rule when a growth of the dead letters {@link #deadLetters counted} is a surge, written
     *     as an ops event; {@link DeadLetterSurges.Rule#DEFAULT} unless given
     * @return this builder
     */
    public Builder deadLetterSurges(final DeadLetterSurges.Rule rule) {
      surges = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Writes lag status changes and dead-letter surges as ops events, to {@code
     * outpost.ops.events.v1}, where subscriptions pick them up. For the one ops server that watches
     * a cluster ({@code outpost ops}, the demo's): every pipeline instance writing the same
     * changes would say each of them once per instance. Off unless asked.
     *
     * @return this builder
     */
    public Builder opsEvents() {
      opsEvents = true;
      return this;
    }

    /**
     * @param resource closed with the {@link OpsWiring}, before the lag monitor and the registry,
     *     such as a binder's own threads or clients
     * @return this builder
     */
    public Builder closing(final AutoCloseable resource) {
      closing.add(Objects.requireNonNull(resource, "resource"));
      return this;
    }

    /**
     * Binds the meters to a new Prometheus registry, starts sampling lag, and adds {@link
     * OpsEndpoints} to the server.
     *
     * @return what to close when the process stops
     * @throws IllegalStateException when no readiness was given
     */
    public OpsWiring install() {
      if (readiness == null) {
        throw new IllegalStateException("The ops server needs a readiness: say what /health/ready reports");
      }
      final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      meters.forEach(m -> m.bindTo(registry));
      final LagMonitor lag = new LagMonitor(kafkaProperties, StatusRules.DEFAULT, clock);
      // Status changes become ops events, which subscriptions deliver; closed after the monitor.
      final LagEvents events = opsEvents ? new LagEvents(kafkaProperties) : null;
      if (events != null) {
        lag.onChange(events);
      }
      lag.startSampling(LAG_SAMPLE_INTERVAL, groups);
      final Function<List<GroupLag>, OpsEndpoints.Readiness> ready = readiness;
      OpsEndpoints.install(server, registry, lag, () -> ready.apply(lag.latest()), summary);
      final LagHistory history = new LagHistory(LAG_HISTORY_SAMPLES);
      final ScheduledExecutorService historian =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                final Thread t = new Thread(r, "outpost-lag-history");
                t.setDaemon(true);
                return t;
              });
      // Offset by half an interval from the monitor's own sampling, so each point is a new sample.
      final ScheduledFuture<?> unused =
          historian.scheduleAtFixedRate(
              () -> history.record(lag.latest(), clock.millis()),
              LAG_SAMPLE_INTERVAL.toMillis() / 2,
              LAG_SAMPLE_INTERVAL.toMillis(),
              TimeUnit.MILLISECONDS);
      OpsEndpoints.installLagHistory(server, history);
      DeadLetterCounts deadLetters = null;
      if (deadLetterTopic != null) {
        // Surges become ops events, written as the lag events are.
        deadLetters = new DeadLetterCounts(kafkaProperties, deadLetterTopic, reasonHeader, clock);
        if (events != null) {
          deadLetters.onRefresh(new DeadLetterSurges(surges, clock, events::publish));
        }
        deadLetters.start(DEAD_LETTER_INTERVAL);
        OpsEndpoints.installDeadLetters(server, deadLetters::snapshot);
      }
      return new OpsWiring(List.copyOf(closing), lag, events, registry, historian, deadLetters);
    }
  }
}
