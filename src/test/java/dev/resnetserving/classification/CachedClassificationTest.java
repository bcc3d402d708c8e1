package dev.resnetserving.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.image.ImageRejectedException;
import dev.resnetserving.inference.BatchingPolicy;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceMetrics;
import dev.resnetserving.inference.Labels;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.inference.WorkerPool;
import dev.resnetserving.support.PerImageModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The response cache inside the classifier: a repeated image skips decoding and the model yet gets
 * the same answer for any k, after the same admission; failures and tensors are never cached.
 */
@Timeout(30)
class CachedClassificationTest {

  private static final int CROP = 4;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InferenceMetrics metrics = new InferenceMetrics(registry, "m");
  private final ExecutorService preprocessing = Executors.newSingleThreadExecutor();
  private final DynamicBatcher batcher =
      new DynamicBatcher(new BatchingPolicy(4, Duration.ZERO, 2), metrics);
  private final AtomicInteger imagesRun = new AtomicInteger();
  private final ResponseCache cache =
      new ResponseCache(
          1 << 20, new ResponseScope("ab12", "fp32", CROP, CROP, "test"), () -> "", registry, "m");
  private final ImageClassifier classifier =
      new ImageClassifier(
          new ImagePreprocessor(new ImageLimits(1_000_000), CROP, CROP),
          preprocessing,
          batcher,
          Labels.parse(List.of("red", "green", "blue")),
          Duration.ofSeconds(10),
          new ClassificationMetrics(registry, "m"),
          cache);
  private WorkerPool pool;

  /** Each image's answer: the mean of each channel, normalised to sum to 1; counts the images. */
  private float[] channelMeans(float[] tensor) {
    imagesRun.incrementAndGet();
    int plane = CROP * CROP;
    float[] exp = new float[3];
    float sum = 0;
    for (int c = 0; c < 3; c++) {
      float mean = 0;
      for (int i = 0; i < plane; i++) {
        mean += tensor[c * plane + i] / plane;
      }
      exp[c] = (float) Math.exp(mean);
      sum += exp[c];
    }
    for (int c = 0; c < 3; c++) {
      exp[c] /= sum;
    }
    return exp;
  }

  private void startWorker() {
    pool =
        new WorkerPool(
            List.of(new PerImageModel(CROP, this::channelMeans)),
            batcher,
            1,
            Duration.ofMinutes(1),
            metrics);
    pool.start(Duration.ofSeconds(10));
    // Warming up ran every batch size: count from here.
    imagesRun.set(0);
  }

  private static byte[] png(Color colour) throws IOException {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, x < 4 ? colour.getRGB() : Color.GRAY.getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    classifier.close();
    preprocessing.shutdownNow();
  }

  @Test
  void aRepeatedImageIsAnsweredWithoutDecodingOrTheModelWithTheSameBits() throws Exception {
    startWorker();
    byte[] red = png(Color.RED);

    float[] computed = classifier.probabilities(List.of(red)).get(10, TimeUnit.SECONDS).get(0);
    float[] cached = classifier.probabilities(List.of(red)).get(10, TimeUnit.SECONDS).get(0);

    assertThat(imagesRun).hasValue(1);
    assertThat(registry.get("resnet.preprocess").timer().count()).isEqualTo(1);
    assertThat(Arrays.equals(cached, computed)).isTrue();
    assertThat(hits()).isEqualTo(1);
    assertThat(misses()).isEqualTo(1);
  }

  @Test
  void aHitAnswersAnyTopK() throws Exception {
    startWorker();
    byte[] red = png(Color.RED);

    List<Prediction> one = classifier.classify(List.of(red), 1).get(10, TimeUnit.SECONDS).get(0);
    List<Prediction> three = classifier.classify(List.of(red), 3).get(10, TimeUnit.SECONDS).get(0);

    assertThat(hits()).isEqualTo(1);
    assertThat(one).hasSize(1);
    assertThat(three).hasSize(3).startsWith(one.get(0));
    assertThat(one.get(0).label()).isEqualTo("red");
  }

  @Test
  void eachImageOfARequestIsLookedUpOnItsOwn() throws Exception {
    startWorker();
    byte[] red = png(Color.RED);
    byte[] blue = png(Color.BLUE);
    classifier.probabilities(List.of(red)).get(10, TimeUnit.SECONDS);

    List<List<Prediction>> answers =
        classifier.classify(List.of(blue, red), 1).get(10, TimeUnit.SECONDS);

    assertThat(answers).map(a -> a.get(0).label()).containsExactly("blue", "red");
    assertThat(imagesRun).hasValue(2);
    assertThat(hits()).isEqualTo(1);
    assertThat(misses()).isEqualTo(2);
  }

  @Test
  void aHitIsStillRefusedWhenTheQueueIsFull() throws Exception {
    byte[] red = png(Color.RED);
    cache.put(cache.keyOf(red).orElseThrow(), new float[] {1, 0, 0});
    // No worker takes from the queue: two tensors fill it.
    classifier.probabilitiesOfTensors(List.of(new float[3 * CROP * CROP]));
    classifier.probabilitiesOfTensors(List.of(new float[3 * CROP * CROP]));

    assertThatThrownBy(() -> classifier.classify(List.of(red), 1).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL));
    assertThat(hits()).isZero();
  }

  @Test
  void aFailureIsNotCached() throws Exception {
    startWorker();
    byte[] corrupt = Arrays.copyOf(png(Color.RED), 40);

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> classifier.probabilities(List.of(corrupt)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ImageRejectedException.class);
    }

    assertThat(misses()).isEqualTo(2);
    assertThat(hits()).isZero();
    assertThat(registry.get("resnet.response.cache.size").gauge().value()).isZero();
  }

  @Test
  void tensorsAreNeitherLookedUpNorKept() throws Exception {
    startWorker();
    float[] tensor = new float[3 * CROP * CROP];

    classifier.probabilitiesOfTensors(List.of(tensor)).get(10, TimeUnit.SECONDS);
    classifier.probabilitiesOfTensors(List.of(tensor)).get(10, TimeUnit.SECONDS);

    assertThat(imagesRun).hasValue(2);
    assertThat(hits() + misses()).isZero();
  }

  private double hits() {
    return registry.get("resnet.response.cache.requests").tag("result", "hit").counter().count();
  }

  private double misses() {
    return registry.get("resnet.response.cache.requests").tag("result", "miss").counter().count();
  }
}
