package dev.resnetserving.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.resnetserving.classification.Prediction;
import java.util.List;

/** The body of a successful {@code POST /v1/classify}: one result per image, in request order. */
record ClassifyResponse(String model, List<ImageResult> results) {

  static ClassifyResponse of(String model, List<List<Prediction>> perImage) {
    return new ClassifyResponse(
        model,
        perImage.stream()
            .map(
                predictions ->
                    new ImageResult(predictions.stream().map(PredictionView::of).toList()))
            .toList());
  }

  record ImageResult(List<PredictionView> predictions) {}

  /** {@code synset} is left out when the label file has no WordNet ids. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PredictionView(int index, String label, String synset, float probability) {

    static PredictionView of(Prediction prediction) {
      return new PredictionView(
          prediction.index(), prediction.label(), prediction.synset(), prediction.probability());
    }
  }
}
