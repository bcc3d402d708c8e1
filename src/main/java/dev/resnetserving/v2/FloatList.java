package dev.resnetserving.v2;

import java.util.Arrays;

/** A growable float array, for numbers read one at a time from JSON. */
final class FloatList {

  private float[] values = new float[1024];
  private int size;

  void add(float value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int size() {
    return size;
  }

  float[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
