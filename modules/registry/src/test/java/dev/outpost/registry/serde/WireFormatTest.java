package dev.outpost.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void theHeaderIsTheMagicByteThenTheIdBigEndian() {
    final byte[] framed = WireFormat.write(0x01020304, new byte[] {0x7F, 0x10});

    assertThat(framed).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04, 0x7F, 0x10);
    assertThat(WireFormat.HEADER_SIZE).isEqualTo(5);
  }

  @Test
  void parseFindsTheIdAndThePayload() {
    final WireFormat.Header header =
        WireFormat.parse("t", new byte[] {0x00, 0x00, 0x00, 0x01, 0x2C, 0x7F, 0x10});

    assertThat(header).isEqualTo(new WireFormat.Header(300, 5, 2));
  }

  @Test
  void theIdIsASignedThirtyTwoBitInteger() {
    final byte[] framed = WireFormat.write(-2, new byte[0]);

    assertThat(framed).containsExactly(0x00, 0xFF, 0xFF, 0xFF, 0xFE);
    assertThat(WireFormat.parse("t", framed)).isEqualTo(new WireFormat.Header(-2, 5, 0));
  }

  @Test
  void aRecordShorterThanTheHeaderIsTruncated() {
    assertThatThrownBy(() -> WireFormat.parse("alerts.v1", new byte[] {0x00, 0x00, 0x00, 0x01}))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("topic 'alerts.v1': payload truncated: 4 bytes, need at least 5");
    assertThatThrownBy(() -> WireFormat.parse("alerts.v1", new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("payload truncated: 0 bytes, need at least 5");
  }

  @Test
  void aRecordNotStartingWithTheMagicByteIsRefused() {
    assertThatThrownBy(() -> WireFormat.parse("alerts.v1", new byte[] {(byte) 0xFF, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("topic 'alerts.v1': wrong magic byte 0xFF (expected 0x00)");
  }
}
