package dev.outpost.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks TCP ports on 127.0.0.1 for the embedded cluster's listeners.
 *
 * <p>Every port is probed by binding a server socket to 127.0.0.1 and releasing it just before
 * Kafka binds it. That leaves a short window in which another process could take the port; for a
 * demo and for tests on one machine that is acceptable, and Kafka then fails to start with a
 * clear "address already in use".
 */
final class LoopbackPorts {

  /** The only address the embedded cluster ever listens on or advertises. */
  static final String LOOPBACK_HOST = "127.0.0.1";

  private static final Logger LOG = LoggerFactory.getLogger(LoopbackPorts.class);
  private static final InetAddress LOOPBACK = loopback();

  private LoopbackPorts() {}

  /**
   * Chooses {@code count} distinct ports that are free on 127.0.0.1.
   *
   * @param preferredFirst the port wanted for the first slot, or 0 for any; if it is taken, a free
   *     port is chosen instead
   * @param count how many ports are needed
   * @return the ports, the first being {@code preferredFirst} when it was free
   */
  static List<Integer> choose(final int preferredFirst, final int count) {
    if (count < 1) {
      throw new IllegalArgumentException("Need at least one port, asked for " + count);
    }
    if (preferredFirst < 0 || preferredFirst > 65_535) {
      throw new IllegalArgumentException("Not a TCP port: " + preferredFirst);
    }
    // All sockets stay bound until every port is chosen, so no port is handed out twice.
    final List<ServerSocket> held = new ArrayList<>(count);
    try {
      final List<Integer> ports = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        ServerSocket socket = null;
        if (i == 0 && preferredFirst > 0) {
          socket = tryBind(preferredFirst);
          if (socket == null) {
            LOG.info("Preferred port {} on {} is taken; using a free port instead",
                preferredFirst, LOOPBACK_HOST);
          }
        }
        if (socket == null) {
          socket = tryBind(0);
        }
        if (socket == null) {
          throw new IllegalStateException("No free TCP port on " + LOOPBACK_HOST);
        }
        held.add(socket);
        ports.add(socket.getLocalPort());
      }
      return List.copyOf(ports);
    } finally {
      for (final ServerSocket socket : held) {
        closeQuietly(socket);
      }
    }
  }

  /**
   * @param port a TCP port
   * @return whether a server socket could bind 127.0.0.1 on that port right now
   */
  static boolean isFree(final int port) {
    final ServerSocket socket = tryBind(port);
    if (socket == null) {
      return false;
    }
    closeQuietly(socket);
    return true;
  }

  private static ServerSocket tryBind(final int port) {
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      // Same as Kafka's acceptor: a port whose old connections linger in TIME_WAIT is reusable.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(LOOPBACK, port));
      return socket;
    } catch (final IOException e) {
      LOG.debug("Cannot bind {}:{}: {}", LOOPBACK_HOST, port, e.getMessage());
      if (socket != null) {
        closeQuietly(socket);
      }
      return null;
    }
  }

  private static void closeQuietly(final ServerSocket socket) {
    try {
      socket.close();
    } catch (final IOException e) {
      LOG.debug("Could not close probe socket on port {}", socket.getLocalPort(), e);
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(LOOPBACK_HOST, new byte[] {127, 0, 0, 1});
    } catch (final UnknownHostException e) {
      throw new UncheckedIOException("127.0.0.1 is not a valid address", e);
    }
  }
}
