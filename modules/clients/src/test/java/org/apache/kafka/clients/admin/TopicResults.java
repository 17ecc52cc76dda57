package org.apache.kafka.clients.admin;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/**
 * Builds a {@link ListTopicsResult} and a {@link CreateTopicsResult}, whose constructors are not
 * public, as {@link GroupOffsetsResults} does for group offsets. Test code only.
 */
public final class TopicResults {

  private TopicResults() {}

  /**
   * @param names the topics the cluster has
   * @return a listing of them
   */
  public static ListTopicsResult listing(final Collection<String> names) {
    final Map<String, TopicListing> listings = new HashMap<>();
    names.forEach(n -> listings.put(n, new TopicListing(n, Uuid.randomUuid(), false)));
    return new ListTopicsResult(KafkaFuture.completedFuture(listings));
  }

  /**
   * @param topics the topics asked for
   * @param failure what each creation fails with, or null when each succeeds
   * @return the result of creating them
   */
  public static CreateTopicsResult created(final Collection<NewTopic> topics, final Throwable failure) {
    final Map<String, KafkaFuture<CreateTopicsResult.TopicMetadataAndConfig>> futures = new HashMap<>();
    for (final NewTopic topic : topics) {
      final KafkaFutureImpl<CreateTopicsResult.TopicMetadataAndConfig> future = new KafkaFutureImpl<>();
      if (failure == null) {
        future.complete(new CreateTopicsResult.TopicMetadataAndConfig(Uuid.randomUuid(), topic.numPartitions(), topic.replicationFactor(), null));
      } else {
        future.completeExceptionally(failure);
      }
      futures.put(topic.name(), future);
    }
    return new CreateTopicsResult(futures);
  }
}
