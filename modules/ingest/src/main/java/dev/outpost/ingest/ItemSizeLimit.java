package dev.outpost.ingest;

import dev.outpost.model.NewsItem;
import dev.outpost.registry.serde.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

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
