package org.apache.kafka.clients.admin;

import java.util.Map;
import org.apache.kafka.clients.admin.internals.CoordinatorKey;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Builds a {@link ListConsumerGroupOffsetsResult}, whose constructor is package-private: Kafka's
 * own MockAdminClient does it from this package, but it ships only in kafka-clients' test jar,
 * which the build does not have. Test code only.
 */
public final class GroupOffsetsResults {

  private GroupOffsetsResults() {}

  /**
   * @param group the group
   * @param offsets its committed offsets; a null value is a partition asked for without a commit
   * @return a result that has them
   */
  public static ListConsumerGroupOffsetsResult of(final String group, final Map<TopicPartition, OffsetAndMetadata> offsets) {
    return new ListConsumerGroupOffsetsResult(Map.of(CoordinatorKey.byGroupId(group), KafkaFuture.completedFuture(offsets)));
  }

  /**
   * @param group the group
   * @param failure what the call fails with
   * @return a result whose future failed
   */
  public static ListConsumerGroupOffsetsResult failed(final String group, final Throwable failure) {
    final org.apache.kafka.common.internals.KafkaFutureImpl<Map<TopicPartition, OffsetAndMetadata>> future =
        new org.apache.kafka.common.internals.KafkaFutureImpl<>();
    future.completeExceptionally(failure);
    return new ListConsumerGroupOffsetsResult(Map.of(CoordinatorKey.byGroupId(group), future));
  }
}
