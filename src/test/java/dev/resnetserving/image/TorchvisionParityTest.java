package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tensor for each sample photo against torchvision's own (scripts/fixtures/make_models.py). */
class TorchvisionParityTest {

  static Stream<Arguments> photos() {
    return ReferenceFixtures.entries().stream()
        .filter(e -> e.tensor() != null)
        .flatMap(ReferenceFixtures::withJpegDecoders);
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("photos")
  void tensorEqualsTorchvision(ReferenceFixtures.Entry photo, JpegDecoder decoder) {
    float[] expected = ReferenceFixtures.tensor(photo.tensor());

    float[] actual =
        ReferenceFixtures.preprocessor(decoder).preprocess(ReferenceFixtures.bytes(photo.image()));

    assertThat(actual).hasSize(3 * 224 * 224).hasSameSizeAs(expected);
    double max = 0;
    double sum = 0;
    for (int i = 0; i < expected.length; i++) {
      double difference = Math.abs(actual[i] - expected[i]);
      max = Math.max(max, difference);
      sum += difference;
    }
    double mean = sum / expected.length;
    System.out.printf(
        "torchvision parity %-12s %-13s max |diff| %.2e, mean |diff| %.2e%n",
        photo, decoder, max, mean);
    assertThat(mean).isLessThanOrEqualTo(1e-6);
    assertThat(max).isLessThanOrEqualTo(1e-5);
  }
}
