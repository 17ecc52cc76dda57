package dev.outpost.subscribers.dispatch;

import dev.outpost.model.net.OutboundPolicy;
import dev.outpost.registry.HttpSchemaRegistryClient;
import dev.outpost.registry.RegistryClientConfig;
import dev.outpost.subscribers.SecretCipher;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A dispatcher in a JVM of its own, for the test that kills one with SIGKILL. Arguments:
 * bootstrap servers, registry URL, group, secrets key.
 */
public final class DispatcherProcess {

  private DispatcherProcess() {}

  /**
   * @param args bootstrap servers, registry URL, group, secrets key (base64)
   * @throws InterruptedException never in practice: the process is killed
   */
  public static void main(final String[] args) throws InterruptedException {
    final Dispatcher dispatcher =
        new Dispatcher(
                // A short session, so the group notices the kill in seconds rather than 45 s.
                Map.of("bootstrap.servers", args[0], "session.timeout.ms", 6_000, "heartbeat.interval.ms", 1_000),
                new HttpSchemaRegistryClient(RegistryClientConfig.of(args[1])),
                new DispatchSettings(
                        args[2], Duration.ofSeconds(30), 6, Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(2), 100)
                    .withOutbound(OutboundPolicy.allowing("127.0.0.1")),
                SecretCipher.fromKeys(args[3], "the fourth argument"),
                Clock.systemUTC())
            .start();
    System.out.println("DISPATCHING");
    System.out.flush();
    while (dispatcher.isRunning()) {
      Thread.currentThread().join(1_000);
    }
  }
}
