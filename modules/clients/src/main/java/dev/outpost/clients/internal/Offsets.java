package dev.outpost.clients.internal;

import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/** Words offsets for messages, the same way everywhere. */
public final class Offsets {

  private Offsets() {}

  /**
   * @param behind partitions and how many offsets each is short of its end
   * @return {@code "news.items.v1-3 by 12, news.items.v1-5 by 1"}, in partition order
   */
  public static String describeBehind(final Map<TopicPartition, Long> behind) {
    return behind.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)))
        .map(e -> e.getKey() + " by " + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
