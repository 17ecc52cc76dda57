package dev.outpost.cli;

import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.internal.Reachability;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.model.Subscription;
import dev.outpost.model.net.OutboundRefusedException;
import dev.outpost.model.net.Urls;
import dev.outpost.registry.SchemaRegistryClient;
import dev.outpost.subscribers.AlertFilter;
import dev.outpost.subscribers.SecretCipher;
import dev.outpost.subscribers.SubscriptionStore;
import dev.outpost.subscribers.Subscriptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code outpost subscriptions add|list|remove|reencrypt}: subscriptions to alerts, kept as data in
 * the compacted topic {@code outpost.subscriptions.v1}. Webhook secrets are stored encrypted with
 * the operator's secrets key, never printed by {@code list} nor logged; URLs are shown without
 * credentials or query. A webhook at an internal address is refused unless the outbound
 * allow-list names it.
 */
@Command(
    name = "subscriptions",
    mixinStandardHelpOptions = true,
    description = {
      "Manage subscriptions to alerts: who wants which alerts, delivered where.",
      "They live in the compacted topic outpost.subscriptions.v1; 'outpost dispatch' delivers them.",
      "Webhook secrets are stored encrypted with the key in OUTPOST_SECRETS_KEY or --secrets-key-file."
    },
    subcommands = {
      SubscriptionsCommand.Add.class,
      SubscriptionsCommand.ListCommand.class,
      SubscriptionsCommand.Remove.class,
      SubscriptionsCommand.Reencrypt.class
    })
public final class SubscriptionsCommand implements Runnable {

  /** The clients' one reach timeout, so this command does not give up sooner than its checks. */
  private static final Duration TIMEOUT = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);

  @ParentCommand private Outpost root;
  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: add, list, remove or reencrypt");
  }

  /** {@code subscriptions add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Add a subscription, or replace the one with the same --id.",
        "A webhook gets a secret for its signatures: from --secret-env or --secret-file, or a new",
        "one printed once, here and nowhere else. It is stored encrypted with the secrets key.",
        "A webhook whose host resolves to an internal address (loopback, private, link-local...)",
        "is refused unless --outbound-allow names it."
      })
  static final class Add implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;
    @Mixin private FilterOptions filterOptions;
    @Mixin private OutboundOptions outbound;
    @Mixin private SecretsOptions secrets;
    @Mixin private WebhookSecretOptions webhookSecret;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "The subscription's id.")
    private String id;

    @Option(
        names = "--events",
        paramLabel = "KIND[,KIND]",
        split = ",",
        defaultValue = "alerts",
        description = {
          "What the subscription receives: 'alerts' (those the filter matches), 'ops' (lag status changes",
          "and dead-letter surges from the ops server, whatever the filter), or 'alerts,ops'. Default:",
          "${DEFAULT-VALUE}."
        })
    private List<String> events = new java.util.ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    static final class Target {
      @Option(names = "--webhook", paramLabel = "URL", description = "POST matching alerts to this http(s) URL.")
      String webhook;

      @Option(names = "--topic", paramLabel = "TOPIC", description = "Write matching alerts to this Kafka topic.")
      String topic;
    }

    @Override
    public Integer call() {
      final AlertFilter filter = filterOptions.filter();
      final PrintWriter out = spec.commandLine().getOut();
      final ResolvedConfig config = cluster.resolve(parent.root.env(), outbound.flags(), secrets.flags());
      final Subscription subscription;
      String generated = null;
      try {
        if (target.webhook != null) {
          final String given = webhookSecret.secret(parent.root.env());
          generated = given == null ? Subscriptions.newSecret() : null;
          subscription =
              Subscriptions.withEvents(
                  Subscriptions.webhook(id, filter, target.webhook, given == null ? generated : given, parent.root.clock().instant()), events);
        } else {
          webhookSecret.requireNone();
          subscription = Subscriptions.withEvents(Subscriptions.kafka(id, filter, target.topic, parent.root.clock().instant()), events);
        }
      } catch (final IllegalArgumentException e) {
        throw new UserException("Invalid subscription: " + e.getMessage(), e);
      }
      SecretCipher cipher = SecretCipher.none();
      if (target.webhook != null) {
        try {
          if (!Subscriptions.checkAddress(subscription, OutboundOptions.policy(config))) {
            spec.commandLine().getErr().println(
                "outpost: the host of " + Urls.redact(target.webhook) + " does not resolve here; the dispatcher checks its address before each delivery");
            spec.commandLine().getErr().flush();
          }
        } catch (final OutboundRefusedException e) {
          throw new UserException("Refused webhook: " + OutboundOptions.explain(e), e);
        }
        cipher = SecretsOptions.requireKey(config, parent.root.env());
      }
      Reachability.requireKafkaAndRegistry(config);
      SubscriptionStore.createTopicIfMissing(config.kafkaProperties());
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        new SubscriptionStore(config.kafkaProperties(), registry, cipher).put(subscription);
      }
      out.println("Added " + Subscriptions.describe(subscription));
      if (generated != null) {
        out.println("Webhook secret (shown once; give it to the receiver to verify signatures): " + generated);
      }
      out.flush();
      return Outpost.EXIT_OK;
    }
  }

  /** {@code subscriptions list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the subscriptions; secrets, and the credentials and query of URLs, are never shown.")
  static final class ListCommand implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;

    @Option(names = "--json", description = "One JSON object per subscription, secret left out, with the id of the key that encrypts it.")
    private boolean json;

    @Override
    public Integer call() {
      final ResolvedConfig config = cluster.resolve(parent.root.env());
      final PrintWriter out = spec.commandLine().getOut();
      Reachability.requireKafkaAndRegistry(config);
      SubscriptionStore.createTopicIfMissing(config.kafkaProperties());
      final Map<String, Subscription> all;
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        all = new SubscriptionStore(config.kafkaProperties(), registry).readAll(TIMEOUT);
      }
      all.values().forEach(s -> out.println(json ? Subscriptions.toJson(s) : Subscriptions.describe(s)));
      if (!json) {
        out.println(all.size() + " subscription(s)");
      }
      out.flush();
      final long plaintext = all.values().stream().filter(SecretCipher::isPlaintext).count();
      if (plaintext > 0) {
        final PrintWriter err = spec.commandLine().getErr();
        err.println(
            "outpost: " + plaintext + " webhook secret(s) stored unencrypted, from before secrets were encrypted: 'outpost subscriptions reencrypt' encrypts them");
        err.flush();
      }
      return Outpost.EXIT_OK;
    }
  }

  /** {@code subscriptions reencrypt}. */
  @Command(
      name = "reencrypt",
      mixinStandardHelpOptions = true,
      description = {
        "Encrypt every webhook secret with the first secrets key: secrets stored unencrypted by",
        "earlier versions, and secrets encrypted with an older key. To rotate keys, put the new key",
        "first and keep the old ones after it, run this, then drop the old keys. The topic keeps the",
        "old records until compaction removes them."
      })
  static final class Reencrypt implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;
    @Mixin private SecretsOptions secrets;

    @Override
    public Integer call() {
      final ResolvedConfig config = cluster.resolve(parent.root.env(), secrets.flags());
      final SecretCipher cipher = SecretsOptions.requireKey(config, parent.root.env());
      Reachability.requireKafkaAndRegistry(config);
      SubscriptionStore.createTopicIfMissing(config.kafkaProperties());
      final SubscriptionStore.Reencryption done;
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        done = new SubscriptionStore(config.kafkaProperties(), registry, cipher).reencryptAll(TIMEOUT);
      }
      final PrintWriter out = spec.commandLine().getOut();
      out.printf("Encrypted %d webhook secret(s) with key %s; %d already were%n", done.rewritten(), cipher.currentKeyId(), done.alreadyCurrent());
      out.flush();
      if (!done.failures().isEmpty()) {
        throw new UserException(String.join("; ", done.failures()));
      }
      return Outpost.EXIT_OK;
    }
  }

  /** {@code subscriptions remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove a subscription (writes a tombstone): 'remove --id ID', as 'add --id ID' made it.")
  static final class Remove implements Callable<Integer> {

    @ParentCommand private SubscriptionsCommand parent;
    @Spec private CommandSpec spec;
    @Mixin private ClusterOptions cluster;

    @Option(names = "--id", paramLabel = "ID", description = "The subscription to remove.")
    private String idOption;

    @Parameters(
        arity = "0..1",
        paramLabel = "ID",
        description = "The same, without --id, as earlier versions took it.",
        hidden = true)
    private String idParameter;

    @Override
    public Integer call() {
      if ((idOption == null) == (idParameter == null)) {
        throw new ParameterException(
            spec.commandLine(),
            idOption == null ? "Missing required option: '--id=ID' (the subscription to remove)" : "Give the subscription to remove once: --id " + idOption);
      }
      final String id = idOption != null ? idOption : idParameter;
      final ResolvedConfig config = cluster.resolve(parent.root.env());
      Reachability.requireKafkaAndRegistry(config);
      SubscriptionStore.createTopicIfMissing(config.kafkaProperties());
      try (SchemaRegistryClient registry = config.newRegistryClient()) {
        new SubscriptionStore(config.kafkaProperties(), registry).removeExisting(id, TIMEOUT);
      } catch (final NoSuchElementException e) {
        throw new UserException(e.getMessage(), e);
      }
      spec.commandLine().getOut().println("Removed " + id);
      spec.commandLine().getOut().flush();
      return Outpost.EXIT_OK;
    }
  }
}
