package dev.outpost.embedded;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Asks ONE broker for its view of topic metadata, over the wire.
 *
 * <p>The admin client cannot do this: it sends metadata requests to whichever broker it finds least
 * loaded, so a stale broker can hide behind an up-to-date one. A single Metadata request on a
 * dedicated socket is answered from that broker's own metadata cache, which is exactly what has to
 * be checked before saying a new topic has propagated.
 */
final class BrokerMetadataProbe {

  private static final String CLIENT_ID = "outpost-embedded-metadata-probe";
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
  private static final AtomicInteger CORRELATION = new AtomicInteger();

  private BrokerMetadataProbe() {}

  /**
   * Fetches metadata for some topics from one broker.
   *
   * @param host the broker's host
   * @param port the broker's client listener port
   * @param topics the topics to describe
   * @param timeout connect and read timeout
   * @return that broker's answer
   * @throws IOException if the broker cannot be reached or answers garbage
   */
  static MetadataResponse fetch(
      final String host, final int port, final List<String> topics, final Duration timeout)
      throws IOException {
    // Client and broker come from the same Kafka release, so the latest version is supported.
    final short version = ApiKeys.METADATA.latestVersion();
    final RequestHeader header =
        new RequestHeader(ApiKeys.METADATA, version, CLIENT_ID, CORRELATION.incrementAndGet());
    final MetadataRequest request = new MetadataRequest.Builder(topics, false).build(version);
    final ByteBuffer payload = request.serializeWithHeader(header);
    final byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);

    final int timeoutMs = Math.toIntExact(timeout.toMillis());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(bytes.length);
      out.write(bytes);
      out.flush();
      final DataInputStream in = new DataInputStream(socket.getInputStream());
      final int size = in.readInt();
      if (size < 0 || size > MAX_RESPONSE_BYTES) {
        throw new IOException(
            "Broker " + host + ":" + port + " sent a metadata response of " + size + " bytes");
      }
      final byte[] response = new byte[size];
      in.readFully(response);
      return (MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }
  }
}
