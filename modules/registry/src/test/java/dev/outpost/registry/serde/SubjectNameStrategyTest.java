package dev.outpost.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.model.NewsItem;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectNameStrategyTest {

  private static final Schema NEWS = NewsItem.getClassSchema();

  @Test
  void topicNameStrategyAppendsKeyOrValue() {
    final SubjectNameStrategy strategy = new TopicNameStrategy();

    assertThat(strategy.subjectName("news.items.v1", false, NEWS)).isEqualTo("news.items.v1-value");
    assertThat(strategy.subjectName("news.items.v1", true, NEWS)).isEqualTo("news.items.v1-key");
  }

  @Test
  void recordNameStrategyUsesTheFullNameWhateverTheTopic() {
    final SubjectNameStrategy strategy = new RecordNameStrategy();

    assertThat(strategy.subjectName("a", false, NEWS)).isEqualTo("dev.outpost.model.NewsItem");
    assertThat(strategy.subjectName("b", true, NEWS)).isEqualTo("dev.outpost.model.NewsItem");
  }

  @Test
  void topicRecordNameStrategyJoinsTopicAndFullName() {
    final SubjectNameStrategy strategy = new TopicRecordNameStrategy();

    assertThat(strategy.subjectName("news.items.v1", false, NEWS))
        .isEqualTo("news.items.v1-dev.outpost.model.NewsItem");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "RecordNameStrategy",
        "dev.outpost.registry.serde.RecordNameStrategy",
        "io.confluent.kafka.serializers.subject.RecordNameStrategy",
        " RecordNameStrategy "
      })
  void strategiesAreFoundByShortOwnOrConfluentName(final String name) {
    final SubjectNameStrategy strategy =
        AvroSerdeConfig.strategy("value.subject.name.strategy", name);

    assertThat(strategy).isInstanceOf(RecordNameStrategy.class);
  }

  @Test
  void aCustomStrategyClassIsInstantiatedByName() {
    final SubjectNameStrategy strategy =
        AvroSerdeConfig.strategy("key.subject.name.strategy", UpperCaseStrategy.class.getName());

    assertThat(strategy.subjectName("news", true, NEWS)).isEqualTo("NEWS");
  }

  @Test
  void aStrategyInstanceOrClassIsTakenAsIs() {
    final SubjectNameStrategy lambda = (topic, isKey, schema) -> "fixed";

    assertThat(AvroSerdeConfig.strategy("k", lambda)).isSameAs(lambda);
    assertThat(AvroSerdeConfig.strategy("k", TopicRecordNameStrategy.class))
        .isInstanceOf(TopicRecordNameStrategy.class);
  }

  @Test
  void anUnknownStrategyIsNamedWithItsKey() {
    assertThatThrownBy(() -> AvroSerdeConfig.strategy("value.subject.name.strategy", "Nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Nope'")
        .hasMessageContaining("'value.subject.name.strategy'")
        .hasMessageContaining("TopicNameStrategy");
  }

  @Test
  void aClassThatIsNoStrategyIsRefused() {
    assertThatThrownBy(() -> AvroSerdeConfig.strategy("value.subject.name.strategy", "java.lang.String"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'java.lang.String'")
        .hasMessageContaining("does not implement");
  }

  /** A strategy named by class in a test. */
  public static final class UpperCaseStrategy implements SubjectNameStrategy {
    /** Needed to be created by name. */
    public UpperCaseStrategy() {}

    @Override
    public String subjectName(final String topic, final boolean isKey, final Schema schema) {
      return topic.toUpperCase(java.util.Locale.ROOT);
    }
  }
}
