package dev.resnetserving.classification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resnetserving.image.ImageLimits;
import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.inference.BatchingPolicy;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceMetrics;
import dev.resnetserving.inference.Labels;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import dev.resnetserving.inference.WorkerPool;
import dev.resnetserving.support.PerImageModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request deadline: it fails a request that outlives it, and leaves nothing behind otherwise.
 */
@Timeout(30)
class ImageClassifierTest {

  private static final int CROP = 4;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InferenceMetrics metrics = new InferenceMetrics(registry, "m");
  private final ExecutorService preprocessing = Executors.newSingleThreadExecutor();
  private final RequestDeadlines deadlines = new RequestDeadlines();
  private final DynamicBatcher batcher =
      new DynamicBatcher(new BatchingPolicy(4, Duration.ZERO, 16), metrics);
  private WorkerPool pool;

  private ImageClassifier classifier(Duration requestTimeout) {
    return new ImageClassifier(
        new ImagePreprocessor(new ImageLimits(1_000_000), CROP, CROP),
        preprocessing,
        batcher,
        Labels.parse(List.of("yes", "no")),
        requestTimeout,
        new ClassificationMetrics(registry, "m"),
        ResponseCache.off(),
        deadlines);
  }

  private void startWorker() {
    pool =
        new WorkerPool(
            List.of(new PerImageModel(CROP, t -> new float[] {t[0], 1 - t[0]})),
            batcher,
            1,
            Duration.ofMinutes(1),
            metrics);
    pool.start(Duration.ofSeconds(10));
  }

  private static float[] tensor(float marker) {
    float[] tensor = new float[3 * CROP * CROP];
    tensor[0] = marker;
    return tensor;
  }

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    deadlines.close();
    preprocessing.shutdownNow();
  }

  @Test
  void aCompletedRequestLeavesNoDeadlinePending() throws Exception {
    startWorker();
    ImageClassifier classifier = classifier(Duration.ofHours(1));

    CompletableFuture<List<float[]>> result =
        classifier.probabilitiesOfTensors(List.of(tensor(0.25f)));

    assertThat(result.get(10, TimeUnit.SECONDS).get(0)[0]).isEqualTo(0.25f);
    // The timer is cancelled by a callback of the result, which may still be running.
    while (deadlines.pending() > 0) {
      Thread.onSpinWait();
    }
    assertThat(deadlines.pending()).isZero();
  }

  @Test
  void aRequestWaitingForTheModelHoldsItsDeadlineUntilItEnds() {
    ImageClassifier classifier = classifier(Duration.ofHours(1));

    CompletableFuture<List<float[]>> waiting =
        classifier.probabilitiesOfTensors(List.of(tensor(0.5f)));
    assertThat(deadlines.pending()).isEqualTo(1);
    waiting.cancel(false);

    assertThat(deadlines.pending()).isZero();
  }

  @Test
  void aRequestThatOutlivesItsDeadlineFailsWithATimeout() {
    ImageClassifier classifier = classifier(Duration.ofMillis(20));

    CompletableFuture<List<float[]>> late =
        classifier.probabilitiesOfTensors(List.of(tensor(0.5f)));

    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            NotServedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(deadlines.pending()).isZero();
  }
}
