package dev.outpost.topology.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IdFilterTest {

  @Test
  void everyIdAddedIsMaybeAndFewOthersAreWhileWithinCapacity() {
    final IdFilter filter = new IdFilter(100_000);
    final int capacity = filter.capacity();
    assertThat(capacity).isGreaterThanOrEqualTo(100_000);
    for (int i = 0; i < capacity; i++) {
      filter.add(IdFilter.hash("https://example.org/item/" + i));
    }
    assertThat(filter.full()).isFalse();
    for (int i = 0; i < capacity; i++) {
      assertThat(filter.mightContain(IdFilter.hash("https://example.org/item/" + i))).as("id %d", i).isTrue();
    }
    int falseMaybes = 0;
    final int others = 200_000;
    for (int i = 0; i < others; i++) {
      if (filter.mightContain(IdFilter.hash("https://example.org/other/" + i))) {
        falseMaybes++;
      }
    }
    // Sixteen bits and four probes per id: about 0.24% when full; allow twice that.
    assertThat(falseMaybes).isLessThan(others / 200);
  }

  @Test
  void itIsFullPastItsCapacityAndStillSaysMaybeForEveryIdAdded() {
    final IdFilter filter = new IdFilter(1);
    assertThat(filter.capacity()).isEqualTo(IdFilter.MIN_CAPACITY);
    final Random random = new Random(19);
    final String[] ids = new String[IdFilter.MIN_CAPACITY + 1];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Long.toHexString(random.nextLong());
      assertThat(filter.full()).isFalse();
      filter.add(IdFilter.hash(ids[i]));
    }
    assertThat(filter.full()).isTrue();
    for (final String id : ids) {
      assertThat(filter.mightContain(IdFilter.hash(id))).isTrue();
    }
  }

  @Test
  void capacityIsRoundedUpToAPowerOfTwoAndCapped() {
    assertThat(new IdFilter(IdFilter.MIN_CAPACITY + 1).capacity()).isEqualTo(IdFilter.MIN_CAPACITY * 2);
    assertThat(new IdFilter(Integer.MAX_VALUE).capacity()).isEqualTo(IdFilter.MAX_CAPACITY);
  }

  @Test
  void idsThatDifferByOneCharacterHashApart() {
    assertThat(IdFilter.hash("item-1")).isNotEqualTo(IdFilter.hash("item-2"));
    assertThat(IdFilter.hash("ab")).isNotEqualTo(IdFilter.hash("ba"));
    assertThat(IdFilter.hash("")).isNotEqualTo(IdFilter.hash("\u0000"));
  }
}
