package dev.outpost.cli.internal;

import dev.outpost.cli.config.Durations;
import dev.outpost.cli.config.ResolvedConfig;
import dev.outpost.cli.config.Setting;
import dev.outpost.cli.config.Settings;
import dev.outpost.clients.ClusterAccessException;
import dev.outpost.clients.TopicAdmin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;

/**
 * The check every command that talks to the cluster makes before it does anything there: do the
 * Kafka cluster and, when the command needs it, the schema registry answer within {@link
 * Settings#CONNECT_TIMEOUT}? Both are asked at once. When one or both do not answer, the command
 * stops with one sentence that names what could not be reached, at which address, from which
 * setting, and which flags to change; the {@code outpost} command prints it and exits 1, as for
 * any run that could not be done.
 *
 * <p>Kafka is asked to describe itself, through the configured security settings. The registry is
 * reached when one of its URLs takes a TCP connection: enough to tell "nothing there" from a
 * registry that then refuses, which its own client says plainly.
 */
public final class Reachability {

  private static final Pattern COMMA = Pattern.compile(",");

  private Reachability() {}

  /**
   * Requires the Kafka cluster to answer.
   *
   * @param config the command's configuration
   * @throws ClusterAccessException {@linkplain ClusterAccessException#isUnreachable() unreachable}
   *     when it does not answer in time; refused when it refuses these credentials
   */
  public static void requireKafka(final ResolvedConfig config) {
    require(config, false);
  }

  /**
   * Requires the Kafka cluster and the schema registry to answer.
   *
   * @param config the command's configuration
   * @throws ClusterAccessException {@linkplain ClusterAccessException#isUnreachable() unreachable}
   *     naming each that did not answer in time; refused when Kafka refuses these credentials
   */
  public static void requireKafkaAndRegistry(final ResolvedConfig config) {
    require(config, true);
  }

  private static void require(final ResolvedConfig config, final boolean registry) {
    final Duration timeout = config.connectTimeout();
    final FutureTask<Boolean> kafka = new FutureTask<>(() -> TopicAdmin.answers(config.kafkaProperties(), timeout));
    final Thread asking = new Thread(kafka, "outpost-reach-kafka");
    asking.setDaemon(true);
    asking.start();
    final boolean registryAnswers = !registry || registryAnswers(config.get(Settings.SCHEMA_REGISTRY_URL), timeout);
    final boolean kafkaAnswers;
    try {
      kafkaAnswers = kafka.get();
    } catch (final ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking the cluster", e);
    }
    if (!kafkaAnswers || !registryAnswers) {
      throw ClusterAccessException.unreachable(message(config, !kafkaAnswers, !registryAnswers, timeout), null);
    }
  }

  /**
   * @param config the configuration checked
   * @param kafka whether Kafka did not answer
   * @param registry whether the registry did not answer
   * @param timeout how long each was given
   * @return the one sentence that says so, and what to change
   */
  static String message(final ResolvedConfig config, final boolean kafka, final boolean registry, final Duration timeout) {
    final List<String> what = new ArrayList<>();
    final List<String> flags = new ArrayList<>();
    if (kafka) {
      what.add("the Kafka cluster at " + config.get(Settings.BOOTSTRAP_SERVERS) + origin(config, Settings.BOOTSTRAP_SERVERS));
      flags.add("--bootstrap-servers");
    }
    if (registry) {
      what.add("the schema registry at " + config.get(Settings.SCHEMA_REGISTRY_URL) + origin(config, Settings.SCHEMA_REGISTRY_URL));
      flags.add("--schema-registry-url");
    }
    return "Cannot reach "
        + String.join(", nor ", what)
        + (what.size() > 1 ? "," : "")
        + " within "
        + Durations.format(timeout)
        + ": check "
        + String.join(" and ", flags)
        + ", or start 'outpost demo' for a local stack; --connect-timeout sets how long to wait";
  }

  /** Where a value came from, when the user did not just type it. */
  private static String origin(final ResolvedConfig config, final Setting setting) {
    final String source = config.source(setting);
    if (source == null || source.startsWith("flag ")) {
      return "";
    }
    return source.equals("default") ? " (the default)" : " (from " + source + ")";
  }

  /**
   * @param urls the registry's URLs, comma-separated
   * @param timeout how long to try, in all
   * @return whether one of them takes a TCP connection in time
   */
  static boolean registryAnswers(final String urls, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    for (final String url : COMMA.splitAsStream(urls).toList()) {
      final URI uri = URI.create(url.trim());
      final int port =
          uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
      final long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), port), (int) Math.min(Integer.MAX_VALUE, left));
        return true;
      } catch (final IOException e) {
        // Refused, timed out or not resolved: the next URL, if any, may answer.
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
    }
    return false;
  }
}
