package dev.resnetserving.classification;

import dev.resnetserving.image.ImagePreprocessor;
import dev.resnetserving.image.RgbImage;
import dev.resnetserving.inference.DynamicBatcher;
import dev.resnetserving.inference.InferenceObservations;
import dev.resnetserving.inference.Labels;
import dev.resnetserving.inference.NotServedException;
import dev.resnetserving.inference.NotServedException.Reason;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Classifies the images of one request: preprocesses each on the bounded preprocessing pool, queues
 * it on the batcher and keeps the top k classes. The returned future fails as a whole as soon as
 * one image fails, and gives up at the request deadline; either way the images still queued are
 * withdrawn so the model never runs them. An encoded image found in the {@link ResponseCache} is
 * answered from it, after the same admission, without decoding or queueing.
 */
public final class ImageClassifier implements AutoCloseable {

  private final ImagePreprocessor preprocessor;
  private final Executor preprocessing;
  private final DynamicBatcher batcher;
  private final Labels labels;
  private final Duration requestTimeout;
  private final ClassificationMetrics metrics;
  private final RequestDeadlines deadlines;
  private final ResponseCache cache;

  /** A classifier without a response cache. */
  public ImageClassifier(
      ImagePreprocessor preprocessor,
      Executor preprocessing,
      DynamicBatcher batcher,
      Labels labels,
      Duration requestTimeout,
      ClassificationMetrics metrics) {
    this(
        preprocessor, preprocessing, batcher, labels, requestTimeout, metrics, ResponseCache.off());
  }

  public ImageClassifier(
      ImagePreprocessor preprocessor,
      Executor preprocessing,
      DynamicBatcher batcher,
      Labels labels,
      Duration requestTimeout,
      ClassificationMetrics metrics,
      ResponseCache cache) {
    this(
        preprocessor,
        preprocessing,
        batcher,
        labels,
        requestTimeout,
        metrics,
        cache,
        new RequestDeadlines());
  }

  ImageClassifier(
      ImagePreprocessor preprocessor,
      Executor preprocessing,
      DynamicBatcher batcher,
      Labels labels,
      Duration requestTimeout,
      ClassificationMetrics metrics,
      ResponseCache cache,
      RequestDeadlines deadlines) {
    this.preprocessor = preprocessor;
    this.preprocessing = preprocessing;
    this.batcher = batcher;
    this.labels = labels;
    this.requestTimeout = requestTimeout;
    this.metrics = metrics;
    this.deadlines = deadlines;
    this.cache = cache;
  }

  public int classCount() {
    return labels.size();
  }

  /** One result per image, in request order. */
  public CompletableFuture<List<List<Prediction>>> classify(List<byte[]> images, int topK) {
    return run(
        images,
        cache::keyOf,
        this::preprocess,
        probabilities -> TopK.of(probabilities, topK, labels));
  }

  /** The model's softmax output for each encoded image, in request order. */
  public CompletableFuture<List<float[]>> probabilities(List<byte[]> images) {
    return run(images, cache::keyOf, this::preprocess, Function.identity());
  }

  /**
   * The model's softmax output for tensors already preprocessed (CHW, normalised, each of {@link
   * #tensorLength()} floats), in order, with the same admission, deadline and withdrawal as images.
   *
   * @throws IllegalArgumentException when a tensor has the wrong length: it would fail the whole
   *     batch it joined
   */
  public CompletableFuture<List<float[]>> probabilitiesOfTensors(List<float[]> tensors) {
    for (float[] tensor : tensors) {
      if (tensor.length != tensorLength()) {
        throw new IllegalArgumentException(
            "expected a tensor of " + tensorLength() + " floats, got " + tensor.length);
      }
    }
    return run(
        tensors,
        tensor -> Optional.empty(),
        (tensor, caller) -> CompletableFuture.completedFuture(tensor),
        Function.identity());
  }

  /**
   * The model's crop of one image and its tensor, decoded once on the preprocessing pool; refused
   * like a classification (503) when the queue or the pool is full, before any decoding.
   */
  public CompletableFuture<CroppedImage> crop(byte[] image) {
    if (!batcher.hasRoom()) {
      return CompletableFuture.failedFuture(new NotServedException(Reason.QUEUE_FULL));
    }
    return onPreprocessingPool(
        () -> {
          RgbImage crop = preprocessor.cropRgb(image);
          return new CroppedImage(crop, preprocessor.normalize(crop));
        });
  }

  /** The k most probable classes of one softmax output, most probable first. */
  public List<Prediction> topK(float[] probabilities, int k) {
    return TopK.of(probabilities, k, labels);
  }

  /** Floats in one preprocessed image: 3 × crop size × crop size. */
  public int tensorLength() {
    return 3 * cropSize() * cropSize();
  }

  /** The side of the square the model takes, in pixels. */
  public int cropSize() {
    return preprocessor.cropSize();
  }

  /**
   * @param cacheKey an input's key in the response cache, read on the caller's thread; none for
   *     inputs that are not cached
   */
  private <I, R> CompletableFuture<List<R>> run(
      List<I> inputs,
      Function<I, Optional<ResponseKey>> cacheKey,
      BiFunction<I, Observation, CompletableFuture<float[]>> prepare,
      Function<float[], R> finish) {
    long deadline = System.nanoTime() + requestTimeout.toNanos();
    // The caller's (HTTP) observation, taken here on its thread and handed on explicitly.
    Observation caller = observations().current();
    if (!batcher.hasRoom()) {
      inputs.forEach(input -> metrics.image(Outcome.REJECTED));
      return CompletableFuture.failedFuture(new NotServedException(Reason.QUEUE_FULL));
    }
    CompletableFuture<List<R>> result = new CompletableFuture<>();
    Queue<CompletableFuture<float[]>> queued = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<R>> perImage = new ArrayList<>(inputs.size());
    for (I input : inputs) {
      Optional<ResponseKey> key = cacheKey.apply(input);
      Optional<float[]> cached = key.flatMap(cache::get);
      CompletableFuture<float[]> probabilities =
          cached.isPresent()
              ? CompletableFuture.completedFuture(cached.get())
              : prepare
                  .apply(input, caller)
                  .thenCompose(tensor -> enqueue(tensor, deadline, caller, result, queued))
                  // Kept before the caller is answered, so its next request finds it.
                  .thenApply(answer -> keep(key, answer));
      CompletableFuture<R> output = probabilities.thenApply(finish);
      output.whenComplete(
          (value, failure) -> {
            metrics.image(Outcome.of(failure));
            if (failure != null) {
              result.completeExceptionally(Outcome.unwrap(failure));
            }
          });
      perImage.add(output);
    }
    CompletableFuture.allOf(perImage.toArray(CompletableFuture[]::new))
        .thenRun(() -> result.complete(perImage.stream().map(CompletableFuture::join).toList()));
    deadlines.failAfter(result, requestTimeout);
    result.whenComplete(
        (values, failure) -> {
          if (failure != null) {
            queued.forEach(request -> request.cancel(false));
          }
        });
    return result;
  }

  /** Stops the deadline timer; Spring calls it when the context closes. */
  @Override
  public void close() {
    deadlines.close();
  }

  private CompletableFuture<float[]> preprocess(byte[] image, Observation caller) {
    return onPreprocessingPool(
        () -> {
          Observation observation = observations().preprocess(caller, image.length);
          long started = System.nanoTime();
          float[] tensor;
          // In scope, so what is logged while decoding carries the request's trace.
          try {
            tensor = observation.scoped(() -> preprocessor.preprocess(image));
          } catch (RuntimeException e) {
            observation.error(e);
            InferenceObservations.stop(observation, Outcome.of(e).tag());
            throw e;
          }
          metrics.preprocessed(System.nanoTime() - started);
          InferenceObservations.stop(observation, Outcome.SUCCESS.tag());
          return tensor;
        });
  }

  private float[] keep(Optional<ResponseKey> key, float[] probabilities) {
    key.ifPresent(k -> cache.put(k, probabilities));
    return probabilities;
  }

  private InferenceObservations observations() {
    return batcher.observations();
  }

  private <T> CompletableFuture<T> onPreprocessingPool(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, preprocessing);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new NotServedException(Reason.QUEUE_FULL));
    }
  }

  private CompletableFuture<float[]> enqueue(
      float[] tensor,
      long deadline,
      Observation caller,
      CompletableFuture<?> request,
      Queue<CompletableFuture<float[]>> queued) {
    if (request.isDone()) {
      // The request already failed or timed out: do not spend the model on this image.
      return CompletableFuture.failedFuture(new NotServedException(Reason.WITHDRAWN));
    }
    CompletableFuture<float[]> submitted = batcher.submit(tensor, deadline, caller);
    queued.add(submitted);
    return submitted;
  }
}
