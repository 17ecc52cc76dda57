package dev.outpost.clients;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * A read of a topic did not reach the end offsets it set out to within its deadline. The message
 * names the topic, each partition still behind and by how many offsets, so the one stuck partition
 * of twelve (an open transaction under read_committed, an offline leader) stands out.
 *
 * @see TopicReader
 */
public final class TopicReadTimeoutException extends ClientsException {

  private static final long serialVersionUID = 1L;

  private final String topic;
  private final transient Map<TopicPartition, Long> behind;

  /**
   * @param message the whole message, as {@link TopicReader} words it
   * @param topic the topic read
   * @param behind each partition still behind, and by how many offsets
   */
  TopicReadTimeoutException(final String message, final String topic, final Map<TopicPartition, Long> behind) {
    super(message);
    this.topic = topic;
    this.behind = Map.copyOf(behind);
  }

  /** @return the topic read */
  public String topic() {
    return topic;
  }

  /**
   * @return each partition that had not reached its end offset, and how many offsets short it
   *     was; empty after deserialization
   */
  public Map<TopicPartition, Long> behind() {
    return behind == null ? Map.of() : behind;
  }

  /**
   * @param topic the topic read
   * @param deadline the deadline that passed
   * @param behind each partition still behind, and by how many offsets
   * @param what how the deadline was counted, for the message
   * @return the exception
   */
  static TopicReadTimeoutException of(
      final String topic, final Duration deadline, final Map<TopicPartition, Long> behind, final String what) {
    return new TopicReadTimeoutException(
        "Reading " + topic + " did not reach its end offsets " + what + " " + DurationText.format(deadline) + "; still behind: "
            + dev.outpost.clients.internal.Offsets.describeBehind(behind),
        topic,
        behind);
  }
}
