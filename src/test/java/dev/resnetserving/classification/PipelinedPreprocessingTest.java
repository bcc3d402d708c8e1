package dev.resnetserving.classification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.inference.BatchingPolicy;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceMetrics;
import dev.resnetserving.inference.Labels;
import dev.resnetserving.inference.WorkerPool;
import dev.resnetserving.support.PerImageModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request of several images is a pipeline: each image goes to the model as soon as it is decoded,
 * so the forward passes of the first images overlap the decoding of the later ones instead of
 * waiting for all of them.
 */
@Timeout(30)
class PipelinedPreprocessingTest {

  private static final int CROP = 4;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InferenceMetrics metrics = new InferenceMetrics(registry, "m");
  private final ExecutorService decoders = Executors.newFixedThreadPool(2);
  private final CountDownLatch laterImagesMayDecode = new CountDownLatch(1);
  private final AtomicInteger decodesSubmitted = new AtomicInteger();
  private final DynamicBatcher batcher =
      new DynamicBatcher(new BatchingPolicy(4, Duration.ZERO, 16), metrics);
  private final AtomicInteger imagesRun = new AtomicInteger();
  private WorkerPool pool;

  /** Decodes the first image at once and holds every later one until the test lets it go. */
  private final Executor firstImageFirst =
      task -> {
        boolean first = decodesSubmitted.getAndIncrement() == 0;
        decoders.execute(
            () -> {
              if (!first) {
                awaitUninterruptibly(laterImagesMayDecode);
              }
              task.run();
            });
      };

  private final ImageClassifier classifier =
      new ImageClassifier(
          new ImagePreprocessor(new ImageLimits(1_000_000), CROP, CROP),
          firstImageFirst,
          batcher,
          Labels.parse(List.of("a", "b")),
          Duration.ofSeconds(10),
          new ClassificationMetrics(registry, "m"));

  @AfterEach
  void stop() {
    laterImagesMayDecode.countDown();
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    decoders.shutdownNow();
  }

  @Test
  void theFirstImageReachesTheModelWhileTheOthersAreStillDecoding() throws Exception {
    pool =
        new WorkerPool(
            List.of(new PerImageModel(CROP, this::firstRedValue)),
            batcher,
            1,
            Duration.ofMinutes(1),
            metrics);
    pool.start(Duration.ofSeconds(10));
    imagesRun.set(0);

    CompletableFuture<List<float[]>> request =
        classifier.probabilities(List.of(png(Color.RED), png(Color.GREEN), png(Color.BLUE)));

    while (imagesRun.get() == 0) {
      Thread.sleep(1);
    }
    assertThat(imagesRun.get()).isEqualTo(1);
    assertThat(request).isNotDone();

    laterImagesMayDecode.countDown();
    List<float[]> answers = request.get(10, TimeUnit.SECONDS);
    assertThat(imagesRun.get()).isEqualTo(3);
    // In request order: the red image's red channel is the largest, the others' are equal.
    assertThat(answers.get(0)[0]).isGreaterThan(answers.get(1)[0]);
    assertThat(answers.get(1)[0]).isEqualTo(answers.get(2)[0]);
  }

  /** Each image's answer: its red channel's first value and its negative; counts the images. */
  private float[] firstRedValue(float[] tensor) {
    imagesRun.incrementAndGet();
    return new float[] {tensor[0], -tensor[0]};
  }

  private static byte[] png(Color colour) throws IOException {
    BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        image.setRGB(x, y, colour.getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
