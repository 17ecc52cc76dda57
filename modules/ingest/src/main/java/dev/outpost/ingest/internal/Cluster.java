package dev.outpost.ingest.internal;

import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.TopicReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringDeserializer;

/** How long the ingest clients wait for the cluster, and how they read a state topic. */
public final class Cluster {

  /**
   * How long a client waits for the cluster to answer before it gives up: the 15 s the commands
   * wait for it too, so a command that just found the cluster is not told sooner that it is gone.
   */
  public static final long REACH_TIMEOUT_MS = 15_000;

  private Cluster() {}

  /**
   * Reads a compacted topic from its beginning to its current end, read committed (the state
   * topics are written by transactions and idempotent producers; an open transaction's records are
   * not state yet). The whole read has {@link #REACH_TIMEOUT_MS}: these topics hold one small
   * record per key, so a read that takes longer is stuck, not slow.
   *
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param topic a topic of string keys and values
   * @return the latest value of each key that has one; a tombstone removes its key
   * @throws dev.outpost.clients.TopicReadTimeoutException naming the partitions still behind when
   *     the end is not reached in time
   */
  public static Map<String, String> readLatest(final Map<String, Object> kafkaProperties, final String topic) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (TopicReader<String, String> reader =
        TopicReader.create(props, IsolationLevel.READ_COMMITTED, new StringDeserializer(), new StringDeserializer())) {
      return reader.readLatest(ReadRequest.fromBeginning(topic, Duration.ofMillis(REACH_TIMEOUT_MS)));
    }
  }
}
