package dev.outpost.ingest.redrive;

import dev.outpost.clients.ClientsException;
import dev.outpost.clients.DurationText;
import dev.outpost.clients.ProducerSettings;
import dev.outpost.clients.ReadCursor;
import dev.outpost.clients.ReadRequest;
import dev.outpost.clients.RecordHandler;
import dev.outpost.clients.TopicAdmin;
import dev.outpost.clients.TopicReader;
import dev.outpost.ingest.IngestException;
import dev.outpost.model.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends dead letters back to the topic they came from, once the cause is fixed: {@code outpost dlq
 * redrive}. Reads {@link Topics#NEWS_ITEMS_DLQ} (or a namespace's copy) read committed, and writes
 * each chosen dead letter's original key and value bytes, untouched, to {@link Topics#NEWS_ITEMS}
 * (or the namespace's copy), with a header {@value #REDRIVEN_FROM} naming where the dead letter
 * was; the pipeline then reads it as it read the original.
 *
 * <p><b>Once.</b> The records go in transactions, and each transaction also commits how far the
 * redrive got, as the offsets of a consumer group of its own ({@link #group}) whose metadata holds
 * a mark per reason ({@link RedriveMarks}). A redrive stopped or crashed half-way sent what it
 * committed and no more; running it again sends the rest, and running it after it finished sends
 * nothing. The transactional id is the group's, so a second redrive of the same topic fences the
 * first. A dry run reads the same way and writes nothing, not even its position.
 *
 * <p><b>Which.</b> Dead letters of the chosen reasons (all unless given), from the start bound on
 * and before the end bound ({@code --since}/{@code --until} by the time each was dead-lettered, or
 * offsets). Dead letters of a chosen reason before the start bound are passed over for good: the
 * start bound says "from here on", so a later redrive does not send them either. A dead letter
 * that cannot be sent back is passed over too, and counted: one read from another topic (a
 * pipeline's internal topic, whose bytes are not a news item), or one whose value was left out for
 * size or is empty.
 */
public final class DeadLetterRedrive {

  /** The header a redriven record carries: the dead letter's topic, partition and offset. */
  public static final String REDRIVEN_FROM = "outpost.redriven.from";

  /** The reason of a dead letter without a reason header. */
  public static final String NO_REASON = "unknown";

  /** How many of the first keys a report keeps. */
  public static final int SAMPLE_KEYS = 5;

  /** Records sent per transaction, at most. */
  private static final int BATCH = 500;

  /** How long a read may wait without progress, and the clients wait for the cluster. */
  private static final Duration DEADLINE = Duration.ofMillis(TopicAdmin.REACH_TIMEOUT_MS);

  /**
   * The headers of a dead letter this reads, as the pipeline writes them.
   *
   * @param reason the reason
   * @param sourceTopic the topic the failed record was read from
   * @param valueOmitted set when the dead letter carries no value because it was too large
   */
  public record HeaderNames(String reason, String sourceTopic, String valueOmitted) {
    /** Checks every name is there. */
    public HeaderNames {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(sourceTopic, "sourceTopic");
      Objects.requireNonNull(valueOmitted, "valueOmitted");
    }
  }

  /**
   * What to redrive.
   *
   * @param namespace a replay's namespace whose copies of the topics are meant, or null for the
   *     live ones
   * @param reasons only dead letters of these reasons; empty for all
   * @param since only dead letters written at or after this time, or null
   * @param until only dead letters written before this time, or null
   * @param fromOffset only dead letters at or after this offset (of each partition), or null
   * @param toOffset only dead letters before this offset, or null
   * @param dryRun list what would be sent, send nothing and remember nothing
   * @param progressInterval how often a progress line is printed
   */
  public record Options(
      String namespace,
      Set<String> reasons,
      Instant since,
      Instant until,
      Long fromOffset,
      Long toOffset,
      boolean dryRun,
      Duration progressInterval) {

    /**
     * @throws IllegalArgumentException naming the flag that is wrong: a bad namespace, both a time
     *     and an offset for one bound, bounds out of order, a negative offset
     */
    public Options {
      if (namespace != null) {
        Topics.requireNamespace(namespace);
      }
      reasons = Set.copyOf(reasons);
      Objects.requireNonNull(progressInterval, "progressInterval");
      if (since != null && fromOffset != null) {
        throw new IllegalArgumentException("give --since or --from-offset, not both");
      }
      if (until != null && toOffset != null) {
        throw new IllegalArgumentException("give --until or --to-offset, not both");
      }
      if (since != null && until != null && !since.isBefore(until)) {
        throw new IllegalArgumentException("--since " + since + " is not before --until " + until);
      }
      if (fromOffset != null && fromOffset < 0 || toOffset != null && toOffset < 0) {
        throw new IllegalArgumentException("offsets cannot be negative");
      }
      if (fromOffset != null && toOffset != null && fromOffset >= toOffset) {
        throw new IllegalArgumentException("--from-offset " + fromOffset + " is not before --to-offset " + toOffset);
      }
    }

    private String startBound() {
      return since != null ? "--since " + since : "--from-offset " + fromOffset;
    }
  }

  /**
   * What a redrive did, or a dry run would do.
   *
   * @param source the dead-letter topic read
   * @param target the topic written
   * @param dryRun whether nothing was sent
   * @param stopped whether it was stopped before the end; what it committed stays sent
   * @param read dead letters read
   * @param sent per reason, how many were sent back (would be, in a dry run)
   * @param firstKeys the keys of the first ones sent, at most {@value #SAMPLE_KEYS}
   * @param passedOver per cause, dead letters of the chosen reasons that were not sent and will
   *     not be
   * @param sentBefore dead letters of the chosen reasons an earlier redrive already dealt with
   * @param otherReasons dead letters of reasons not chosen, left for another redrive
   */
  public record Report(
      String source,
      String target,
      boolean dryRun,
      boolean stopped,
      long read,
      Map<String, Long> sent,
      List<String> firstKeys,
      Map<String, Long> passedOver,
      long sentBefore,
      long otherReasons) {

    /** Copies the collections. */
    public Report {
      sent = Map.copyOf(sent);
      firstKeys = List.copyOf(firstKeys);
      passedOver = Map.copyOf(passedOver);
    }

    /** @return how many were sent back, over every reason */
    public long total() {
      return sent.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Map<String, Object> kafkaProperties;
  private final HeaderNames headers;
  private final LongSupplier nanoTime;

  /**
   * @param kafkaProperties client properties with {@code bootstrap.servers}
   * @param headers the header names of the dead letters
   */
  public DeadLetterRedrive(final Map<String, Object> kafkaProperties, final HeaderNames headers) {
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.headers = Objects.requireNonNull(headers, "headers");
    this.nanoTime = System::nanoTime;
  }

  /**
   * @param namespace a namespace, or null for the live topics
   * @return the consumer group, and transactional id, the redrives of that namespace's dead letters
   *     keep their position in
   */
  public static String group(final String namespace) {
    return namespace == null ? "outpost-dlq-redrive" : "outpost-dlq-redrive." + Topics.requireNamespace(namespace);
  }

  /**
   * Redrives, or lists what a redrive would send.
   *
   * @param options what to redrive
   * @param stop counted down to stop after the current poll; what was sent is committed
   * @param lines where progress lines go
   * @return what was done
   * @throws dev.outpost.clients.ClusterAccessException when the cluster cannot be reached or lacks
   *     the topics
   * @throws IngestException when the redrive could not go on; what it committed stays sent
   */
  public Report run(final Options options, final CountDownLatch stop, final PrintWriter lines) {
    final String source = Topics.in(options.namespace(), Topics.NEWS_ITEMS_DLQ).name();
    final String target = Topics.in(options.namespace(), Topics.NEWS_ITEMS).name();
    final String group = group(options.namespace());
    TopicAdmin.requireTopics(kafkaProperties, List.of(source, target));
    final Map<String, Object> props = TopicAdmin.withReachTimeout(kafkaProperties);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, group);
    try (TopicReader<byte[], byte[]> reader =
        TopicReader.create(props, IsolationLevel.READ_COMMITTED, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // The transactions first: initTransactions fences any redrive still running and waits out
      // its open transaction, so the marks read next are all that it could ever commit. Read
      // before it, they could miss its last batch, which this run would then send again.
      try (KafkaProducer<byte[], byte[]> producer = options.dryRun() ? null : producer(group)) {
        final Run run = new Run(options, source, target, group, reader.consumer());
        return run.redrive(reader, producer, stop, lines);
      }
    } catch (final org.apache.kafka.common.errors.TimeoutException e) {
      throw new ClientsException("Kafka did not answer within " + DurationText.format(DEADLINE) + " while redriving " + source, e);
    }
  }

  private KafkaProducer<byte[], byte[]> producer(final String group) {
    final Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, group);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEADLINE.toMillis());
    final KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(ProducerSettings.safe(props), new ByteArraySerializer(), new ByteArraySerializer());
    try {
      producer.initTransactions();
    } catch (final KafkaException e) {
      producer.close(Duration.ZERO);
      throw new IngestException("Cannot start the redrive's transactions (" + group + "): " + e.getMessage(), e);
    }
    return producer;
  }

  /** One redrive: the bounds and marks of each partition, and what was found. */
  private final class Run {
    private final Options options;
    private final String source;
    private final String target;
    private final String group;
    private final Map<TopicPartition, RedriveMarks> marks = new HashMap<>();
    private final Map<TopicPartition, Long> committedOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> startBound = new HashMap<>();
    private final Map<TopicPartition, Long> readFrom = new HashMap<>();
    private final Map<TopicPartition, Long> readTo = new HashMap<>();
    private final Map<String, Long> sent = new TreeMap<>();
    private final Map<String, Long> passedOver = new TreeMap<>();
    private final List<String> firstKeys = new ArrayList<>();
    private long read;
    private long sentBefore;
    private long otherReasons;
    private final ConsumerGroupMetadata groupMetadata;
    private int inTransaction;
    private boolean open;

    Run(final Options options, final String source, final String target, final String group, final Consumer<byte[], byte[]> consumer) {
      this.options = options;
      this.source = source;
      this.target = target;
      this.group = group;
      // The reader's consumer is in no group's generation (it assigns its partitions), so the
      // offsets commit as the group's own; the transactional id is what fences a second redrive.
      this.groupMetadata = consumer.groupMetadata();
      final List<TopicPartition> partitions = new ArrayList<>();
      for (final PartitionInfo p : consumer.partitionsFor(source, DEADLINE)) {
        partitions.add(new TopicPartition(source, p.partition()));
      }
      partitions.sort(Comparator.comparingInt(TopicPartition::partition));
      final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), DEADLINE);
      final Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, DEADLINE);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions, DEADLINE);
      final Map<TopicPartition, Long> sinceOffsets = offsetsAt(consumer, partitions, options.since(), end);
      final Map<TopicPartition, Long> untilOffsets = offsetsAt(consumer, partitions, options.until(), end);
      for (final TopicPartition tp : partitions) {
        final OffsetAndMetadata c = committed.get(tp);
        try {
          marks.put(tp, c == null ? RedriveMarks.at(0) : RedriveMarks.fromCommit(c.offset(), c.metadata()));
        } catch (final IllegalArgumentException e) {
          throw new IngestException(
              "Consumer group " + group + " holds an offset on " + tp + " that a redrive did not write (" + e.getMessage()
                  + "); delete the group if nothing else uses it",
              e);
        }
        committedOffsets.put(tp, c == null ? -1 : c.offset());
        final long first = begin.get(tp);
        final long last = end.get(tp);
        final long to =
            options.toOffset() != null ? Math.min(last, options.toOffset()) : options.until() != null ? untilOffsets.get(tp) : last;
        final long from =
            options.fromOffset() != null ? options.fromOffset() : options.since() != null ? sinceOffsets.get(tp) : first;
        readTo.put(tp, Math.max(first, to));
        startBound.put(tp, from);
        // From the lowest mark, not the start bound: the dead letters between them are counted as
        // passed over, so the dry run says how many the start bound leaves behind for good.
        readFrom.put(tp, Math.min(Math.max(first, marks.get(tp).lowest(options.reasons())), readTo.get(tp)));
      }
    }

    /** Per partition, the first offset written at or after the time; the end when none is, or no time. */
    private static Map<TopicPartition, Long> offsetsAt(
        final Consumer<byte[], byte[]> consumer, final List<TopicPartition> partitions, final Instant time, final Map<TopicPartition, Long> end) {
      final Map<TopicPartition, Long> offsets = new HashMap<>(end);
      if (time != null) {
        final Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.toEpochMilli()));
        final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, DEADLINE);
        for (final TopicPartition tp : partitions) {
          final OffsetAndTimestamp at = found.get(tp);
          if (at != null) {
            offsets.put(tp, Math.min(at.offset(), end.get(tp)));
          }
        }
      }
      return offsets;
    }

    private long total() {
      long left = 0;
      for (final Map.Entry<TopicPartition, Long> e : readTo.entrySet()) {
        left += Math.max(0, e.getValue() - readFrom.get(e.getKey()));
      }
      return left;
    }

    Report redrive(
        final TopicReader<byte[], byte[]> reader, final KafkaProducer<byte[], byte[]> producer, final CountDownLatch stop, final PrintWriter lines) {
      final Map<Integer, Long> from = new HashMap<>();
      final Map<Integer, Long> to = new HashMap<>();
      readFrom.forEach((tp, o) -> from.put(tp.partition(), o));
      readTo.forEach((tp, o) -> to.put(tp.partition(), o));
      final ReadCursor<byte[], byte[]> cursor = reader.open(ReadRequest.fromBeginning(source, DEADLINE).startingAt(from).until(to));
      final long offsets = total();
      lines.printf(
          Locale.ROOT,
          "%s %s%s to %s (about %,d record(s) to look at) ...%n",
          options.dryRun() ? "Dry run: reading" : "Redriving",
          source,
          options.reasons().isEmpty() ? "" : ", reasons " + new TreeSet<>(options.reasons()),
          target,
          offsets);
      lines.flush();
      final RecordHandler<byte[], byte[]> handler = r -> take(r, producer);
      long lastLine = nanoTime.getAsLong();
      try {
        while (stop.getCount() > 0 && cursor.poll(handler)) {
          if (producer != null && inTransaction >= BATCH) {
            commit(producer, cursor.positions());
          }
          if (nanoTime.getAsLong() - lastLine >= options.progressInterval().toNanos()) {
            lines.printf(
                Locale.ROOT,
                "Redrive: %,d dead letter(s) read, %,d %s%n",
                read,
                sent.values().stream().mapToLong(Long::longValue).sum(),
                options.dryRun() ? "to send" : "sent");
            lines.flush();
            lastLine = nanoTime.getAsLong();
          }
        }
        if (producer != null) {
          commit(producer, cursor.positions());
        }
      } catch (final ProducerFencedException e) {
        throw new IngestException(
            "Another redrive of " + source + " started and took over (" + group + "); this one stopped. What it committed stays sent.", e);
      } catch (final KafkaException e) {
        abort(producer);
        throw new IngestException(
            "The redrive of " + source + " stopped: " + e.getMessage() + ". What it committed stays sent; run it again to go on.", e);
      }
      return new Report(source, target, options.dryRun(), !cursor.done(), read, sent, firstKeys, passedOver, sentBefore, otherReasons);
    }

    private void take(final ConsumerRecord<byte[], byte[]> r, final KafkaProducer<byte[], byte[]> producer) {
      read++;
      final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      final String reason = Objects.requireNonNullElse(header(r, headers.reason()), NO_REASON);
      if (!options.reasons().isEmpty() && !options.reasons().contains(reason)) {
        otherReasons++;
        return;
      }
      if (r.offset() < marks.get(tp).of(reason)) {
        sentBefore++;
        return;
      }
      if (r.offset() < startBound.get(tp)) {
        passedOver.merge("before " + options.startBound(), 1L, Long::sum);
        return;
      }
      final String from = header(r, headers.sourceTopic());
      if (!target.equals(from)) {
        passedOver.merge("read from " + (from == null ? "an unnamed topic" : from) + ", not " + target, 1L, Long::sum);
        return;
      }
      if (r.value() == null) {
        passedOver.merge(header(r, headers.valueOmitted()) != null ? "value left out as too large" : "no value", 1L, Long::sum);
        return;
      }
      sent.merge(reason, 1L, Long::sum);
      if (firstKeys.size() < SAMPLE_KEYS) {
        firstKeys.add(r.key() == null ? "(no key)" : new String(r.key(), StandardCharsets.UTF_8));
      }
      if (producer != null) {
        if (!open) {
          producer.beginTransaction();
          open = true;
        }
        final RecordHeaders h = new RecordHeaders();
        h.add(REDRIVEN_FROM, (r.topic() + "-" + r.partition() + "@" + r.offset()).getBytes(StandardCharsets.UTF_8));
        // The transaction's commit reports a failed send; nothing waits for each one.
        final Future<RecordMetadata> unused = producer.send(new ProducerRecord<>(target, null, null, r.key(), r.value(), h));
        inTransaction++;
      }
    }

    /** Commits what was sent with the marks the positions reached, in one transaction. */
    private void commit(final KafkaProducer<byte[], byte[]> producer, final Map<TopicPartition, Long> positions) {
      if (!open) {
        producer.beginTransaction();
        open = true;
      }
      final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      final Map<TopicPartition, RedriveMarks> moved = new HashMap<>();
      positions.forEach(
          (tp, position) -> {
            final RedriveMarks next = marks.get(tp).advance(options.reasons(), position);
            moved.put(tp, next);
            // The offset itself never goes back (a later --until may stop short of an earlier run);
            // the marks in the metadata are what a redrive goes by.
            offsets.put(tp, new OffsetAndMetadata(Math.max(committedOffsets.get(tp), position), next.toMetadata()));
          });
      producer.sendOffsetsToTransaction(offsets, groupMetadata);
      producer.commitTransaction();
      open = false;
      inTransaction = 0;
      marks.putAll(moved);
      offsets.forEach((tp, o) -> committedOffsets.put(tp, o.offset()));
    }

    private void abort(final KafkaProducer<byte[], byte[]> producer) {
      if (producer != null && open) {
        try {
          producer.abortTransaction();
        } catch (final KafkaException e) {
          // The producer is failing already; the transaction times out on the broker.
        }
        open = false;
      }
    }
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
    final Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
