package dev.outpost.clients;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupOffsetsResults;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * An {@link Admin} that answers the two calls lag is made of from maps the test fills in, as
 * a broker would: committed offsets per group, and per partition a high watermark and a last
 * stable offset, given by {@code listOffsets} according to the isolation level asked for. Any
 * other call fails the test. (kafka-clients' MockAdminClient is in its test jar, which the offline
 * build does not have.)
 */
final class FakeAdmin {

  final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
  final Map<TopicPartition, Long> highWatermark = new HashMap<>();
  final Map<TopicPartition, Long> lastStable = new HashMap<>();
  final List<IsolationLevel> isolationLevelsAsked = new ArrayList<>();
  RuntimeException committedFailure;

  Admin admin() {
    final InvocationHandler handler =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "listConsumerGroupOffsets":
              if (args.length == 2 && args[0] instanceof Map<?, ?> specs) {
                return groupOffsets(specs);
              }
              return InvocationHandler.invokeDefault(proxy, method, args);
            case "listOffsets":
              if (args.length == 2) {
                return listOffsets(args[0], (ListOffsetsOptions) args[1]);
              }
              return InvocationHandler.invokeDefault(proxy, method, args);
            case "close":
              return null;
            default:
              throw new UnsupportedOperationException("FakeAdmin does not answer " + method.getName());
          }
        };
    return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, handler);
  }

  private Object groupOffsets(final Map<?, ?> specs) {
    final String group = (String) specs.keySet().iterator().next();
    if (committedFailure != null) {
      return GroupOffsetsResults.failed(group, committedFailure);
    }
    final ListConsumerGroupOffsetsSpec spec = (ListConsumerGroupOffsetsSpec) specs.get(group);
    final Map<TopicPartition, OffsetAndMetadata> answer = new HashMap<>();
    if (spec.topicPartitions() == null) {
      answer.putAll(committed);
    } else {
      // Asked by name, a partition without a commit comes back with a null value, as from a broker.
      spec.topicPartitions().forEach(tp -> answer.put(tp, committed.get(tp)));
    }
    return GroupOffsetsResults.of(group, answer);
  }

  private Object listOffsets(final Object request, final ListOffsetsOptions options) {
    isolationLevelsAsked.add(options.isolationLevel());
    final Map<TopicPartition, KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo>> answer = new HashMap<>();
    for (final Object key : ((Map<?, ?>) request).keySet()) {
      final TopicPartition tp = (TopicPartition) key;
      final OffsetSpec spec = (OffsetSpec) ((Map<?, ?>) request).get(key);
      if (!(spec instanceof OffsetSpec.LatestSpec)) {
        throw new UnsupportedOperationException("FakeAdmin only knows OffsetSpec.latest(), not " + spec);
      }
      final long end =
          options.isolationLevel() == IsolationLevel.READ_COMMITTED
              ? lastStable.getOrDefault(tp, highWatermark.get(tp))
              : highWatermark.get(tp);
      answer.put(tp, KafkaFuture.completedFuture(new ListOffsetsResult.ListOffsetsResultInfo(end, -1, java.util.Optional.empty())));
    }
    return new ListOffsetsResult(answer);
  }
}
