package dev.outpost.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With Outpost's classes trusted, Avro fills defaults and copies nested records. */
class AvroTrustTest {

  @Test
  void anAlertWithoutEvidenceAndACopiedSubscriptionBuild() {
    AvroTrust.install();

    final Alert alert =
        Alert.newBuilder()
            .setAlertId("a#parade").setItemId("a").setCategory(Category.PARADE).setConfidence(0.5)
            .setTitle("t").setSource("s").setClassifiedAt(Instant.EPOCH).setClassifierVersion("v")
            .build();
    final Subscription subscription =
        Subscription.newBuilder()
            .setId("s")
            .setFilter(SubscriptionFilter.newBuilder().setCategories(List.of(Category.PARADE)).build())
            .setTarget(KafkaTarget.newBuilder().setTopic("t").build())
            .setCreatedAt(Instant.EPOCH)
            .build();
    final Subscription copy = Subscription.newBuilder(subscription).setEnabled(false).build();

    assertThat(alert.getEvidence()).isEmpty();
    assertThat(copy.getFilter().getCategories()).containsExactly(Category.PARADE);
    assertThat(copy.getEnabled()).isFalse();
  }
}
