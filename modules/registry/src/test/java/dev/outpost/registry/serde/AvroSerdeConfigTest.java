package dev.outpost.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.Alert;
import dev.outpost.model.NewsItem;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

  @Test
  void defaultsRegisterUnderTopicNames() {
    final AvroSerdeConfig config = AvroSerdeConfig.from(Map.of(), false);

    assertThat(config.isKey()).isFalse();
    assertThat(config.autoRegisterSchemas()).isTrue();
    assertThat(config.useLatestVersion()).isFalse();
    assertThat(config.subjectNameStrategy()).isInstanceOf(TopicNameStrategy.class);
    assertThat(config.specificType()).isNull();
  }

  @Test
  void keyAndValueSettingsAreReadForTheirSideOnly() {
    final Map<String, Object> configs =
        Map.of(
            "key.subject.name.strategy", "RecordNameStrategy",
            "value.subject.name.strategy", "TopicRecordNameStrategy",
            "specific.avro.key.type", NewsItem.class,
            "specific.avro.value.type", "dev.outpost.model.Alert");

    final AvroSerdeConfig key = AvroSerdeConfig.from(configs, true);
    final AvroSerdeConfig value = AvroSerdeConfig.from(configs, false);

    assertThat(key.isKey()).isTrue();
    assertThat(key.subjectNameStrategy()).isInstanceOf(RecordNameStrategy.class);
    assertThat(key.specificType()).isEqualTo(NewsItem.class);
    assertThat(value.subjectNameStrategy()).isInstanceOf(TopicRecordNameStrategy.class);
    assertThat(value.specificType()).isEqualTo(Alert.class);
  }

  @Test
  void booleansMayBeStringsInAnyCase() {
    final AvroSerdeConfig config =
        AvroSerdeConfig.from(
            Map.of("auto.register.schemas", "FALSE", "use.latest.version", " True ", "specific.avro.reader", true),
            false);

    assertThat(config.autoRegisterSchemas()).isFalse();
    assertThat(config.useLatestVersion()).isTrue();
  }

  @Test
  void aBooleanThatIsNotOneIsNamedWithItsKey() {
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("auto.register.schemas", "yes"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 'yes' for config 'auto.register.schemas': expected true or false");
  }

  @Test
  void useLatestVersionWithAutoRegisterIsRefused() {
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("use.latest.version", "true"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'use.latest.version'=true needs 'auto.register.schemas'=false");
  }

  @Test
  void genericReadingIsRefusedRatherThanIgnored() {
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("specific.avro.reader", "false"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'specific.avro.reader'");
  }

  @Test
  void aSpecificTypeMustBeAGeneratedRecordClass() {
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("specific.avro.value.type", "java.lang.String"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'java.lang.String'")
        .hasMessageContaining("'specific.avro.value.type'")
        .hasMessageContaining("SpecificRecord");
    assertThatThrownBy(() -> AvroSerdeConfig.from(Map.of("specific.avro.value.type", "no.such.Type"), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no.such.Type'")
        .hasMessageContaining("no such class");
  }
}
