package dev.outpost.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SizeBoundSerializerTest {

  private static final int MAX_REQUEST_SIZE = 4096;
  private static final int ROOM = MAX_REQUEST_SIZE - SizeBoundSerializer.OVERHEAD;

  private final SizeBoundSerializer<String> serializer =
      new SizeBoundSerializer<>(new StringSerializer(), MAX_REQUEST_SIZE);

  @Test
  void aValueThatFitsIsPassedOnUntouched() {
    final String value = "x".repeat(ROOM);

    assertThat(serializer.serialize("t", value)).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
    assertThat(serializer.serialize("t", new RecordHeaders(), value)).hasSize(ROOM);
    assertThat(serializer.serialize("t", null)).isNull();
  }

  @Test
  void aValueTheProducerCouldNotSendFailsAsASerializationErrorNamingTheTopicAndSizes() {
    final String value = "x".repeat(ROOM + 1);

    assertThatThrownBy(() -> serializer.serialize("news.classified.v1", new RecordHeaders(), value))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "topic 'news.classified.v1': the value is " + (ROOM + 1) + " bytes, over the " + ROOM
                + " the producer's max.request.size leaves for it; the record was not sent");
  }
}
