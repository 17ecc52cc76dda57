package dev.outpost.cli;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.CatalogTopics;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.cli.internal.SignalStop;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.ops.OpsEndpoints;
import dev.outpost.ops.OpsServer;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.dispatch.DispatchSettings;
import dev.outpost.subscribers.dispatch.Dispatcher;
import dev.outpost.subscribers.dispatch.Redeliverer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost dispatch}: delivers alerts to the subscriptions' webhooks and topics until
 * SIGTERM; with {@code --redeliver}, sends parked alerts again and exits.
 */
@Command(
    name = "dispatch",
    mixinStandardHelpOptions = true,
    description = {
      "Deliver alerts to every matching subscription: POST to webhooks (signed, with an",
      "idempotency key), or write to Kafka topics. Runs as a consumer group until SIGTERM.",
      "Retries 5xx, 408 and timeouts with backoff and jitter, honours Retry-After on 429, and parks",
      "an alert after --max-attempts or --max-age; a webhook answering 410 Gone is disabled.",
      "Webhooks at internal addresses are refused (parked) unless --outbound-allow names them;",
      "secrets are decrypted with the key in OUTPOST_SECRETS_KEY or --secrets-key-file.",
      "With --ops-port, serves /metrics (parked alerts per subscription, deliveries) and /health.",
      "With --redeliver, sends the parked alerts again and exits."
    })
public final class DispatchCommand implements Callable<Integer> {

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;
  @Mixin private ClusterOptions cluster;
  @Mixin private OutboundOptions outbound;
  @Mixin private SecretsOptions secrets;

  @Option(names = "--group", paramLabel = "GROUP", defaultValue = "outpost-dispatch", description = "Consumer group; also names its retry and parking topics. Default: ${DEFAULT-VALUE}.")
  private String group;

  @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "10s", description = "How long one webhook call may take. Default: ${DEFAULT-VALUE}.")
  private String requestTimeout;

  @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "8", description = "Attempts before an alert is parked. Default: ${DEFAULT-VALUE}.")
  private int maxAttempts;

  @Option(names = "--max-age", paramLabel = "DURATION", defaultValue = "1d", description = "Park an alert this long after its first attempt. Default: ${DEFAULT-VALUE}.")
  private String maxAge;

  @Option(names = "--backoff", paramLabel = "DURATION", defaultValue = "1s", description = "First retry delay; doubles each time, with jitter. Default: ${DEFAULT-VALUE}.")
  private String backoff;

  @Option(names = "--max-backoff", paramLabel = "DURATION", defaultValue = "10m", description = "Longest delay between attempts, and cap on Retry-After. Default: ${DEFAULT-VALUE}.")
  private String maxBackoff;

  @Option(names = "--lane-capacity", paramLabel = "N", defaultValue = "100", description = "Deliveries queued per subscriber before new ones are deferred. Default: ${DEFAULT-VALUE}.")
  private int laneCapacity;

  @Option(names = "--redeliver", description = "Send the parked alerts again (to the running dispatcher) and exit.")
  private boolean redeliver;

  @Option(names = "--subscription", paramLabel = "ID", description = "With --redeliver, only this subscription's alerts.")
  private String subscription;

  @Option(names = "--status-interval", paramLabel = "DURATION", defaultValue = "30s", description = "How often to print what was delivered. Default: ${DEFAULT-VALUE}.")
  private String statusInterval;

  @Option(names = "--ops-port", paramLabel = "PORT", defaultValue = "-1", description = "Serve /metrics and /health on 127.0.0.1 at this port; 0 for any free port, -1 for none. Default: ${DEFAULT-VALUE}.")
  private int opsPort;

  @Override
  public Integer call() throws InterruptedException {
    final DispatchSettings settings;
    try {
      settings =
          new DispatchSettings(
              group,
              Durations.parse("--request-timeout", requestTimeout),
              maxAttempts,
              Durations.parse("--max-age", maxAge),
              Durations.parse("--backoff", backoff),
              Durations.parse("--max-backoff", maxBackoff),
              laneCapacity);
    } catch (final IllegalArgumentException e) {
      throw new UserException("Invalid dispatch settings: " + e.getMessage(), e);
    }
    if (subscription != null && !redeliver) {
      throw new UserException("--subscription goes with --redeliver");
    }
    final Duration every = Durations.parse("--status-interval", statusInterval);
    final Map<String, String> flags = new HashMap<>(outbound.flags());
    flags.putAll(secrets.flags());
    final ResolvedConfig config = cluster.resolve(root.env(), flags);
    final SecretCipher cipher = SecretsOptions.cipher(config, root.env());
    final PrintWriter err = spec.commandLine().getErr();
    // Redelivery moves parked records as they are; only delivery decodes alerts.
    if (redeliver) {
      Reachability.requireKafka(config);
    } else {
      Reachability.requireKafkaAndRegistry(config);
    }
    final List<TopicSpec<?, ?>> topics = new ArrayList<>(Topics.dispatchTopics(group));
    topics.add(Topics.SUBSCRIPTIONS);
    topics.add(Topics.OPS_EVENTS);
    TopicAdmin.createMissingTopics(
        config.kafkaProperties(), CatalogTopics.toCreate(topics), TopicAdmin.sensibleReplication(config.kafkaProperties()));

    if (redeliver) {
      final long sent = Redeliverer.redeliver(config.kafkaProperties(), group, subscription, root.clock());
      spec.commandLine().getOut().printf("Sent %d parked alert(s) back to dispatcher %s%n", sent, group);
      spec.commandLine().getOut().flush();
      return Outpost.EXIT_OK;
    }

    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final OpsServer ops;
    try {
      ops = opsPort < 0 ? null : OpsServer.start("127.0.0.1", opsPort, false);
    } catch (final java.io.UncheckedIOException e) {
      throw new UserException(e.getMessage() + ": pass another --ops-port, or -1 for none", e);
    }
    final SchemaRegistryClient registry = config.newRegistryClient();
    final Dispatcher dispatcher =
        new Dispatcher(config.kafkaProperties(), registry, settings.withOutbound(OutboundOptions.policy(config)), cipher, root.clock())
            .bindTo(meters)
            .start();
    if (ops != null) {
      OpsEndpoints.install(
          ops, meters, null, () -> new OpsEndpoints.Readiness(dispatcher.isRunning(), "dispatcher " + group), Map::of);
      err.printf("Ops server at %s: /metrics, /health%n", ops.url());
    }
    final CountDownLatch stopped = new CountDownLatch(1);
    // On a signal the dispatcher commits what was delivered; the ops server ends with the JVM.
    final SignalStop hook =
        SignalStop.install(
            "outpost-dispatch-stop",
            "the dispatcher",
            () -> {
              err.println("Stopping the dispatcher: committing what was delivered ...");
              err.flush();
              dispatcher.close();
              registry.close();
              err.println("Dispatcher stopped: " + dispatcher.stats());
              err.flush();
              stopped.countDown();
            });
    err.printf("Dispatcher %s delivering; Ctrl-C to stop%n", group);
    err.flush();
    while (!stopped.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
      if (!dispatcher.isRunning()) {
        hook.close();
        if (hook.signalled()) {
          return Outpost.EXIT_OK;
        }
        registry.close();
        if (ops != null) {
          ops.close();
        }
        err.println("outpost: the dispatcher stopped: " + Outpost.describe(dispatcher.failure()));
        err.flush();
        return Outpost.EXIT_FAILURE;
      }
      err.println("Dispatcher " + group + ": " + dispatcher.stats());
      err.flush();
    }
    return Outpost.EXIT_OK;
  }
}
