package dev.outpost.ingest;

import dev.outpost.model.NewsItem;
import dev.outpost.model.TopicSpec;
import dev.outpost.model.Topics;
import dev.outpost.registry.serde.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The largest news item {@code publish} and {@code watch} send. Kafka refuses a record over the
 * producer's {@code max.request.size} or its topic's {@code max.message.bytes}; and the pipeline
 * writes each item again, inside its classification, to news.classified.v1, or with error headers
 * to the dead-letter topic. So an item's record must fit the smallest of those limits with room
 * left for what the pipeline adds: then what publish accepts reaches the classified and alert
 * topics whole, and what it refuses is named instead of being sent to fail later.
 *
 * @param maxBytes the most bytes an item's record (key and value) may take
 * @param explanation where the bound comes from, for messages
 */
public record ItemSizeLimit(int maxBytes, String explanation) {

  /**
   * Room kept for what the pipeline adds to an item: labels with their evidence spans, actors, the
   * classifier's version, or a dead letter's headers (an error message, a stack trace).
   */
  public static final int PIPELINE_RESERVE = 64 * 1024;

  /** The topics an item's record is written to whole: the input, and the classified items. */
  private static final List<TopicSpec<?, ?>> ITEM_TOPICS = List.of(Topics.NEWS_ITEMS, Topics.NEWS_CLASSIFIED);

  private static final Logger LOG = LoggerFactory.getLogger(ItemSizeLimit.class);

  /**
   * Reads the limits that apply from the cluster: {@code max.message.bytes} of news.items.v1 and
   * news.classified.v1, with the producer's limit the caller read (the pipeline's producer gets it as
   * Kafka Streams hands settings on, which this library does not see). A topic this client may
   * not describe, or that does not exist yet, is left out.
   *
   * @param admin a connected admin client; the caller says what an unreachable cluster means
   * @param maxRequestSize the producer's {@code max.request.size}, as the pipeline's producer gets
   *     it
   * @param timeout how long to wait for each topic's settings
   * @return the bound
   * @throws TimeoutException when the cluster does not answer in time
   * @throws InterruptedException when interrupted while waiting
   */
  public static ItemSizeLimit read(final Admin admin, final int maxRequestSize, final Duration timeout)
      throws TimeoutException, InterruptedException {
    final Map<String, Integer> limits = new LinkedHashMap<>();
    final List<ConfigResource> resources =
        ITEM_TOPICS.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
    final Map<ConfigResource, KafkaFuture<Config>> described = admin.describeConfigs(resources).values();
    for (final ConfigResource resource : resources) {
      try {
        final Config config = described.get(resource).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        final ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (entry != null && entry.value() != null) {
          limits.put(resource.name(), Integer.parseInt(entry.value()));
        }
      } catch (final ExecutionException e) {
        // Not allowed to describe it, or not created yet: Kafka still enforces its limit, and
        // an item over it fails by name when it is sent.
        LOG.debug("Cannot read {} of {}: {}", TopicConfig.MAX_MESSAGE_BYTES_CONFIG, resource.name(), e.getCause().toString());
      }
    }
    return of(maxRequestSize, limits);
  }

  /**
   * The bound the limits that apply set: the smallest of them, less {@link #PIPELINE_RESERVE}.
   *
   * @param maxRequestSize the producer's {@code max.request.size}, as the pipeline's producer gets
   *     it
   * @param topicLimits {@code max.message.bytes} of the topics an item's record is written to, by
   *     topic, in the order the explanation names them; a topic whose setting could not be read is
   *     left out, as Kafka still enforces it and an item over it fails by name when it is sent
   * @return the bound
   */
  public static ItemSizeLimit of(final int maxRequestSize, final Map<String, Integer> topicLimits) {
    int smallest = maxRequestSize;
    final List<String> sources = new ArrayList<>();
    sources.add(ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " " + maxRequestSize);
    for (final Map.Entry<String, Integer> topic : topicLimits.entrySet()) {
      smallest = Math.min(smallest, topic.getValue());
      sources.add(TopicConfig.MAX_MESSAGE_BYTES_CONFIG + " " + topic.getValue() + " of " + topic.getKey());
    }
    return new ItemSizeLimit(
        Math.max(1, smallest - PIPELINE_RESERVE),
        "the smallest of " + String.join(", ", sources) + ", less " + PIPELINE_RESERVE + " bytes kept for what the pipeline adds");
  }

  /**
   * @param item a news item
   * @return the bytes of its record as a producer sends it: the key (the item id) and the value in
   *     the registry wire format
   */
  public static int recordBytes(final NewsItem item) {
    final Counting out = new Counting();
    try {
      final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new SpecificDatumWriter<NewsItem>(NewsItem.getClassSchema(), SpecificData.getForClass(NewsItem.class)).write(item, encoder);
      encoder.flush();
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
    return item.getId().getBytes(StandardCharsets.UTF_8).length + WireFormat.HEADER_SIZE + out.count;
  }

  /**
   * @param item a news item
   * @return why it is refused, or null when it fits
   */
  public String refusal(final NewsItem item) {
    final int bytes = recordBytes(item);
    if (bytes <= maxBytes) {
      return null;
    }
    return "item '" + item.getId() + "' is " + bytes + " bytes as a record, over the limit of " + maxBytes + " bytes (" + explanation + ")";
  }

  /** Counts what would be written, and keeps none of it. */
  private static final class Counting extends OutputStream {
    private int count;

    @Override
    public void write(final int b) {
      count++;
    }

    @Override
    public void write(final byte[] b, final int off, final int len) {
      count += len;
    }
  }
}
