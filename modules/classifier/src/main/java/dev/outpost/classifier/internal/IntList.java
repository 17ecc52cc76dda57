package dev.outpost.classifier.internal;

import java.util.Arrays;

/** A growable list of ints without boxing. */
final class IntList {
  private int[] values = new int[8];
  private int size;

  void add(final int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /** Empties the list, keeping its capacity. */
  void clear() {
    size = 0;
  }

  int get(final int i) {
    return values[i];
  }

  int size() {
    return size;
  }
}
