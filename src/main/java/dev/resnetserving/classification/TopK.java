package dev.resnetserving.classification;

import dev.resnetserving.inference.ClassLabel;
import dev.resnetserving.inference.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;

/** Picks the k most probable classes, most probable first; ties go to the lower index. */
final class TopK {

  private TopK() {}

  static List<Prediction> of(float[] probabilities, int k, Labels labels) {
    int count = Math.min(k, probabilities.length);
    // A min-heap of the best k so far: O(n log k) instead of sorting every class.
    PriorityQueue<Integer> best =
        new PriorityQueue<>(
            count + 1,
            (a, b) ->
                probabilities[a] != probabilities[b]
                    ? Float.compare(probabilities[a], probabilities[b])
                    : Integer.compare(b, a));
    for (int i = 0; i < probabilities.length; i++) {
      best.add(i);
      if (best.size() > count) {
        best.poll();
      }
    }
    List<Prediction> predictions = new ArrayList<>(count);
    while (!best.isEmpty()) {
      int index = best.poll();
      ClassLabel label = labels.get(index);
      predictions.add(new Prediction(index, label.label(), label.synset(), probabilities[index]));
    }
    Collections.reverse(predictions);
    return predictions;
  }
}
