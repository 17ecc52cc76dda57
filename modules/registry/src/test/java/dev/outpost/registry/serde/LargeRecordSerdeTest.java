package dev.outpost.registry.serde;

import static dev.outpost.registry.serde.SerdeFixtures.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.model.ClassifiedItem;
import dev.outpost.model.NewsItem;
import dev.outpost.registry.InMemorySchemaRegistryClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records around and far above the size at which the serializer drops its per-thread scratch
 * buffer (1 MiB) come back whole: every byte written, every field read back equal.
 */
class LargeRecordSerdeTest {

  private static final int MIB = 1 << 20;

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final SpecificAvroSerializer<NewsItem> serializer = new SpecificAvroSerializer<>(registry);
  private final SpecificAvroDeserializer<NewsItem> deserializer =
      new SpecificAvroDeserializer<>(registry, NewsItem.class);

  /** An item whose record, header included, is exactly {@code size} bytes. */
  private NewsItem itemOfRecordSize(final int size) {
    final NewsItem empty = SerdeFixtures.newsItem();
    empty.setBody("");
    final int base = serializer.serialize(TOPIC, empty).length;
    // The body adds its length as a varint (one byte of which an empty body has) and its bytes.
    int length = size - base;
    for (int i = 0; i < 4; i++) {
      length = size - base + 1 - varintSize(length);
    }
    final NewsItem item = SerdeFixtures.newsItem();
    item.setBody(body(length));
    return item;
  }

  private static int varintSize(final int length) {
    long zigZag = (long) length << 1;
    int bytes = 1;
    while ((zigZag >>>= 7) != 0) {
      bytes++;
    }
    return bytes;
  }

  /** Text that is not one repeated byte, so a copy that shifts or drops bytes would show. */
  private static String body(final int length) {
    final StringBuilder text = new StringBuilder(length);
    for (int i = 0; text.length() < length; i++) {
      text.append((char) ('a' + i % 26));
      if (i % 61 == 60) {
        text.append(' ');
      }
    }
    text.setLength(length);
    return text.toString();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {MIB - 1, MIB, MIB + 1, 8 * MIB})
  void aRecordOfThisSizeRoundTripsWhole(final int size) {
    final NewsItem item = itemOfRecordSize(size);

    final byte[] bytes = serializer.serialize(TOPIC, item);
    final NewsItem back = deserializer.deserialize(TOPIC, bytes);

    assertThat(bytes).hasSize(size);
    assertThat(WireFormat.parse(TOPIC, bytes).payloadLength()).isEqualTo(size - WireFormat.HEADER_SIZE);
    assertThat(back).isEqualTo(item);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {MIB - 1, MIB + 1, 8 * MIB})
  void theSameThreadWritesSmallAndLargeRecordsInTurnEachWhole(final int size) {
    final NewsItem large = itemOfRecordSize(size);
    final NewsItem small = SerdeFixtures.newsItem();

    final byte[] first = serializer.serialize(TOPIC, large);
    final byte[] between = serializer.serialize(TOPIC, small);
    final byte[] again = serializer.serialize(TOPIC, large);

    assertThat(first).hasSize(size).isEqualTo(again);
    assertThat(deserializer.deserialize(TOPIC, between)).isEqualTo(small);
    assertThat(deserializer.deserialize(TOPIC, again)).isEqualTo(large);
  }

  // The first item fits under the scratch buffer's keep size; what carries it does not.
  @ParameterizedTest(name = "item of {0} bytes")
  @ValueSource(ints = {MIB - 40, MIB + 1})
  void aClassifiedItemThatCarriesALargeItemRoundTripsWhole(final int itemSize) {
    final ClassifiedItem classified = SerdeFixtures.classifiedItem();
    classified.setItem(itemOfRecordSize(itemSize));
    final SpecificAvroSerializer<ClassifiedItem> writer = new SpecificAvroSerializer<>(registry);
    final SpecificAvroDeserializer<ClassifiedItem> reader =
        new SpecificAvroDeserializer<>(registry, ClassifiedItem.class);

    final byte[] bytes = writer.serialize("news.classified.v1", classified);

    assertThat(bytes.length).isGreaterThan(MIB);
    assertThat(reader.deserialize("news.classified.v1", bytes)).isEqualTo(classified);
  }
}
