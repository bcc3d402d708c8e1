package dev.resnetserving.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.resnetserving.classification.ClassificationMetrics;
import dev.resnetserving.classification.ImageClassifier;
import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.inference.BatchingPolicy;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceMetrics;
import dev.resnetserving.inference.Labels;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.WorkerPool;
import dev.resnetserving.support.PerImageModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The explainer on the real batcher and workers with a model whose answer depends on one region
 * only: the top-right 56×56 square of the crop. Occluding anything else changes nothing.
 */
class OcclusionExplainerTest {

  static final int SIZE = 224;
  static final int REGION_TOP = 0;
  static final int REGION_LEFT = 168;
  static final int REGION_SIDE = 56;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final InferenceMetrics metrics = new InferenceMetrics(registry, "region");
  final ExecutorService preprocessing = Executors.newFixedThreadPool(1);
  final ImagePreprocessor preprocessor =
      new ImagePreprocessor(new ImageLimits(50_000_000), 256, SIZE);
  DynamicBatcher batcher;
  WorkerPool pool;

  /** Class 0's logit is the mean of the region over every channel; class 1's is its negative. */
  static float[] regionAnswer(float[] tensor) {
    float logit = regionMean(tensor);
    float p = (float) (1 / (1 + Math.exp(-2 * logit)));
    return new float[] {p, 1 - p};
  }

  private static float regionMean(float[] tensor) {
    double sum = 0;
    int plane = SIZE * SIZE;
    for (int channel = 0; channel < 3; channel++) {
      for (int y = REGION_TOP; y < REGION_TOP + REGION_SIDE; y++) {
        for (int x = REGION_LEFT; x < REGION_LEFT + REGION_SIDE; x++) {
          sum += tensor[channel * plane + y * SIZE + x];
        }
      }
    }
    return (float) (sum / (3 * REGION_SIDE * REGION_SIDE));
  }

  OcclusionExplainer explainer(int queueCapacity, int maxPasses) {
    OcclusionExplainer explainer = explainerWithoutWorkers(queueCapacity, maxPasses);
    pool =
        new WorkerPool(
            List.of(new PerImageModel(SIZE, OcclusionExplainerTest::regionAnswer)),
            batcher,
            1,
            Duration.ofSeconds(30),
            metrics);
    pool.start(Duration.ofSeconds(30));
    return explainer;
  }

  /** Nothing takes from the queue: it fills up deterministically. */
  OcclusionExplainer explainerWithoutWorkers(int queueCapacity, int maxPasses) {
    batcher =
        new DynamicBatcher(new BatchingPolicy(8, Duration.ofMillis(1), queueCapacity), metrics);
    ImageClassifier classifier =
        new ImageClassifier(
            preprocessor,
            preprocessing,
            batcher,
            Labels.parse(List.of("region bright", "region dark")),
            Duration.ofSeconds(10),
            new ClassificationMetrics(registry, "region"));
    return new OcclusionExplainer(classifier, maxPasses);
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    preprocessing.shutdownNow();
  }

  static byte[] whitePng() throws IOException {
    BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 256; y++) {
      for (int x = 0; x < 256; x++) {
        image.setRGB(x, y, 0xffffff);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }

  @Test
  void lightsUpOnlyTheRegionTheModelLooksAt() throws Exception {
    OcclusionExplainer explainer = explainer(64, 64);

    Explanation explanation =
        explainer
            .explain(whitePng(), OptionalInt.empty(), explainer.grid(56, 28))
            .get(10, TimeUnit.SECONDS);

    assertThat(explanation.target()).isZero();
    int[] offsets = explanation.offsets();
    float[][] drops = explanation.drops();
    float largest = 0;
    for (int row = 0; row < offsets.length; row++) {
      for (int column = 0; column < offsets.length; column++) {
        boolean overlapsRegion =
            offsets[row] < REGION_TOP + REGION_SIDE && offsets[column] + 56 > REGION_LEFT;
        if (overlapsRegion) {
          assertThat(drops[row][column]).as("drop at %d,%d", row, column).isPositive();
        } else {
          assertThat(drops[row][column]).as("drop at %d,%d", row, column).isZero();
        }
        largest = Math.max(largest, drops[row][column]);
      }
    }
    // Hiding the whole region leaves the model at even odds.
    assertThat(drops[0][offsets.length - 1]).isEqualTo(largest);
    assertThat(explanation.probability() - largest).isCloseTo(0.5f, within(1e-5f));

    float[] map = explanation.pixelMap();
    assertThat(map).hasSize(SIZE * SIZE);
    assertThat(map[10 * SIZE + 200]).isPositive();
    assertThat(map[200 * SIZE + 10]).isZero();
  }

  @Test
  void drawsTheMapOverTheCropAsAPngOfTheCropsSize() throws Exception {
    OcclusionExplainer explainer = explainer(64, 64);
    Explanation explanation =
        explainer
            .explain(whitePng(), OptionalInt.of(0), explainer.grid(56, 28))
            .get(10, TimeUnit.SECONDS);

    BufferedImage heatmap = ImageIO.read(new ByteArrayInputStream(HeatmapImage.png(explanation)));

    assertThat(heatmap.getWidth()).isEqualTo(SIZE);
    assertThat(heatmap.getHeight()).isEqualTo(SIZE);
    int inRegion = heatmap.getRGB(200, 10);
    assertThat((inRegion >> 16) & 0xff).isGreaterThan(inRegion & 0xff);
    assertThat(heatmap.getRGB(10, 200) & 0xffffff).isEqualTo(0xffffff);
  }

  @Test
  void refusesGridsOverTheMaximumNumberOfPasses() {
    OcclusionExplainer explainer = explainer(64, 10);

    assertThatThrownBy(() -> explainer.grid(56, 28))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 50 forward passes; at most 10");
    assertThat(explainer.grid(112, 112).passes()).isEqualTo(5);
  }

  @Test
  void failsWholeWith503WhenThePassesDoNotFitTheQueue() throws Exception {
    OcclusionExplainer explainer = explainerWithoutWorkers(8, 64);

    assertThatThrownBy(
            () -> explainer.explain(whitePng(), OptionalInt.empty(), explainer.grid(56, 28)).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            NotServedException.class,
            e -> assertThat(e.reason()).isEqualTo(NotServedException.Reason.QUEUE_FULL));
  }
}
