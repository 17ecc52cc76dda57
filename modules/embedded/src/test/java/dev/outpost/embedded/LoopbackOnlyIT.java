package dev.outpost.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded cluster must never be reachable from another machine: every listener, advertised
 * or bound, is on 127.0.0.1. Checked from Kafka's side (effective broker config, cluster metadata)
 * and from the operating system's side (the kernel's table of listening sockets).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopbackOnlyIT {

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackOnlyIT.class);
  private static final Pattern LISTENER = Pattern.compile("([A-Za-z0-9_]+)://([^:,]*):(\\d+)");
  private static final String TCP_LISTEN = "0A";

  private static EmbeddedStack stack;
  private static EmbeddedKafkaCluster kafka;

  @BeforeAll
  static void startCluster() {
    final long start = System.nanoTime();
    // The whole stack the demo runs: broker, controller and schema registry.
    stack = EmbeddedStack.builder().build().start();
    kafka = stack.cluster();
    LOG.info("1-node stack started in {} ms",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @AfterAll
  static void stopCluster() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Every port the stack listens on: the broker's, the controller's and the registry's. */
  private static Set<Integer> stackPorts() {
    final Set<Integer> ports = new java.util.TreeSet<>(kafka.listenerPorts());
    ports.add(stack.registry().port());
    return ports;
  }

  @Test
  void registryUrlAndBoundAddressAreLoopback() {
    assertThat(stack.registryUrl()).startsWith("http://127.0.0.1:");
    assertThat(stack.registry().address().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void bootstrapServersAreLoopback() {
    assertThat(kafka.bootstrapServers().split(","))
        .isNotEmpty()
        .allSatisfy(server -> assertThat(server).startsWith("127.0.0.1:"));
  }

  @Test
  void effectiveListenersAndAdvertisedListenersAreLoopback() throws Exception {
    final String nodeId = Integer.toString(kafka.controllerId());
    try (Admin admin = kafka.createAdmin()) {
      final ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodeId);
      final Config config =
          admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);

      final List<String[]> listeners = parseListeners(config.get("listeners").value());
      final List<String[]> advertised = parseListeners(config.get("advertised.listeners").value());

      assertThat(listeners)
          .extracting(l -> l[0])
          .containsExactlyInAnyOrder(
              EmbeddedKafkaCluster.BROKER_LISTENER, EmbeddedKafkaCluster.CONTROLLER_LISTENER);
      assertThat(listeners).allSatisfy(l -> assertThat(l[1]).isEqualTo("127.0.0.1"));
      assertThat(advertised).isNotEmpty();
      assertThat(advertised).allSatisfy(l -> assertThat(l[1]).isEqualTo("127.0.0.1"));
      assertThat(listeners)
          .extracting(l -> Integer.parseInt(l[2]))
          .containsExactlyInAnyOrderElementsOf(kafka.listenerPorts());

      final List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
      assertThat(nodes).hasSize(1);
      assertThat(nodes.get(0).host()).isEqualTo("127.0.0.1");
      assertThat(nodes.get(0).port()).isEqualTo(kafka.brokerPort(0));
    }
  }

  @Test
  void kernelShowsEveryListeningSocketOfThisJvmOnLoopbackOnly() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
    final Set<String> ownInodes = socketInodesOfThisProcess();
    final List<ListenEntry> listening = new ArrayList<>();
    listening.addAll(readListening(Path.of("/proc/net/tcp")));
    if (Files.isReadable(Path.of("/proc/net/tcp6"))) {
      listening.addAll(readListening(Path.of("/proc/net/tcp6")));
    }

    for (final int port : stackPorts()) {
      final List<ListenEntry> onPort = listening.stream().filter(e -> e.port == port).toList();
      assertThat(onPort).as("LISTEN sockets on cluster port %d", port).isNotEmpty();
      assertThat(onPort)
          .as("LISTEN sockets on cluster port %d", port)
          .allSatisfy(e -> assertThat(e.isIpv4Loopback()).as(e.toString()).isTrue());
    }

    final List<ListenEntry> ours =
        listening.stream().filter(e -> ownInodes.contains(e.inode)).toList();
    assertThat(ours)
        .as("this JVM's LISTEN sockets")
        .extracting(e -> e.port)
        .containsAll(stackPorts());
    assertThat(ours)
        .as("this JVM's LISTEN sockets")
        .allSatisfy(e -> assertThat(e.isIpv4Loopback()).as(e.toString()).isTrue());
  }

  @Test
  void socketTableCheckDoesSpotAWildcardListener() throws IOException {
    // Guards the check above against passing vacuously (e.g. a parser that never matches).
    assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
    try (ServerSocket wildcard = new ServerSocket()) {
      wildcard.bind(new InetSocketAddress(0));
      final List<ListenEntry> listening = new ArrayList<>(readListening(Path.of("/proc/net/tcp")));
      if (Files.isReadable(Path.of("/proc/net/tcp6"))) {
        listening.addAll(readListening(Path.of("/proc/net/tcp6")));
      }
      final Set<String> ownInodes = socketInodesOfThisProcess();

      assertThat(listening)
          .filteredOn(e -> e.port == wildcard.getLocalPort() && ownInodes.contains(e.inode))
          .singleElement()
          .satisfies(e -> assertThat(e.isIpv4Loopback()).as(e.toString()).isFalse());
    }
  }

  @Test
  void nonLoopbackAddressOfThisMachineIsRefused() throws IOException {
    final Optional<InetAddress> external = nonLoopbackIpv4Address();
    assumeTrue(external.isPresent(), "needs a non-loopback IPv4 address");
    for (final int port : stackPorts()) {
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(external.get(), port), 2_000);
                }
              })
          .as("connecting to %s:%d", external.get().getHostAddress(), port)
          .isInstanceOf(ConnectException.class);
    }
  }

  private static List<String[]> parseListeners(final String value) {
    final List<String[]> parsed = new ArrayList<>();
    final Matcher matcher = LISTENER.matcher(value);
    while (matcher.find()) {
      parsed.add(new String[] {matcher.group(1), matcher.group(2), matcher.group(3)});
    }
    assertThat(parsed).as("listeners parsed from '%s'", value).isNotEmpty();
    return parsed;
  }

  /** One LISTEN row of /proc/net/tcp or tcp6. */
  private record ListenEntry(String localAddressHex, int port, String inode) {
    boolean isIpv4Loopback() {
      // /proc prints addresses as host-order 32-bit words: 127.0.0.1 is 0100007F, and in tcp6
      // the IPv4-mapped ::ffff:127.0.0.1 is 0000000000000000FFFF00000100007F.
      return "0100007F".equals(localAddressHex)
          || "0000000000000000FFFF00000100007F".equals(localAddressHex);
    }
  }

  private static List<ListenEntry> readListening(final Path table) throws IOException {
    final List<ListenEntry> entries = new ArrayList<>();
    final List<String> lines = Files.readAllLines(table);
    for (final String line : lines.subList(1, lines.size())) {
      final String[] fields = line.trim().split("\\s+", -1);
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      if (fields.length < 10 || !TCP_LISTEN.equals(fields[3])) {
        continue;
      }
      final String[] local = fields[1].split(":", -1);
      entries.add(
          new ListenEntry(
              local[0].toUpperCase(Locale.ROOT), Integer.parseInt(local[1], 16), fields[9]));
    }
    return entries;
  }

  private static Set<String> socketInodesOfThisProcess() throws IOException {
    final Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (final Path fd : (Iterable<Path>) fds::iterator) {
        try {
          final String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (final IOException e) {
          // The descriptor closed between listing and reading: not a listening socket of ours.
          LOG.trace("fd {} vanished", fd);
        }
      }
    }
    return inodes;
  }

  private static Optional<InetAddress> nonLoopbackIpv4Address() throws IOException {
    for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (final InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
