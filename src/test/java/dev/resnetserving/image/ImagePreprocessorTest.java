package dev.resnetserving.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  private final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, 224);

  @Test
  void rejectsACropLargerThanTheResizedShortSide() {
    ImageLimits limits = new ImageLimits(1000);
    assertThatThrownBy(() -> new ImagePreprocessor(limits, 224, 256))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImagePreprocessor(limits, 256, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageLimits(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givesOneChwTensorOfTheCropSize() {
    ImagePreprocessor small = new ImagePreprocessor(new ImageLimits(1_000_000), 160, 128);

    assertThat(small.preprocess(ReferenceFixtures.image("china.jpg"))).hasSize(3 * 128 * 128);
    assertThat(small.cropSize()).isEqualTo(128);
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    List<byte[]> images =
        List.of(
            ReferenceFixtures.image("china.jpg"),
            ReferenceFixtures.image("chelsea.png"),
            ReferenceFixtures.image("variant-cmyk.jpg"),
            ReferenceFixtures.image("variant-lossless.webp"));
    List<float[]> expected = images.stream().map(preprocessor::preprocess).toList();

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        byte[] image = images.get(i % images.size());
        results.add(pool.submit(() -> preprocessor.preprocess(image)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get()).isEqualTo(expected.get(i % images.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
