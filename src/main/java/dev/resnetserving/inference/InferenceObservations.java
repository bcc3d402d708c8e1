package dev.resnetserving.inference;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;

/**
 * The spans one image leaves on its way through the serving core, as Micrometer Observations:
 * preprocessing and queue wait as children of the request, one span per batch linking to every
 * request it served, and per request an inference span that links to its batch. The request's
 * observation is carried explicitly from thread to thread (pool, queue, worker), never through
 * thread locals. With {@link #NONE}, or without a tracing handler, they cost next to nothing.
 */
public final class InferenceObservations {

  public static final InferenceObservations NONE =
      new InferenceObservations(ObservationRegistry.NOOP, "");

  private final ObservationRegistry registry;
  private final String model;

  public InferenceObservations(ObservationRegistry registry, String model) {
    this.registry = registry;
    this.model = model;
  }

  /** The observation in scope on the calling thread (the HTTP request's), or null. */
  public Observation current() {
    return registry.getCurrentObservation();
  }

  /** Decoding and transforming one encoded image; started. */
  public Observation preprocess(Observation request, int imageBytes) {
    return start("resnet.preprocess", "preprocess", request, List.of())
        .highCardinalityKeyValue("image.bytes", Integer.toString(imageBytes));
  }

  /** One image's wait in the batcher's queue; started. */
  Observation queueWait(Observation request) {
    return start("resnet.queue.wait", "queue wait", request, List.of());
  }

  /** One forward pass; started, a root that links to each request's queue wait. */
  Observation batch(List<PendingInference> requests, String device) {
    List<Observation> served = requests.stream().map(request -> request.queueWait).toList();
    return start("resnet.batch", "batch", null, served)
        .lowCardinalityKeyValue("device", device)
        .highCardinalityKeyValue("batch.size", Integer.toString(requests.size()));
  }

  /** One request's share of a batch; started, a child of the request linking to the batch. */
  Observation inference(PendingInference request, Observation batch, int batchSize) {
    return start("resnet.image.inference", "inference", request.parent, List.of(batch))
        .highCardinalityKeyValue("batch.size", Integer.toString(batchSize));
  }

  /** Ends an observation with the outcome its span should show. */
  public static void stop(Observation observation, String outcome) {
    observation.lowCardinalityKeyValue("outcome", outcome).stop();
  }

  private Observation start(
      String name, String spanName, Observation parent, List<Observation> links) {
    if (registry.isNoop()) {
      return Observation.NOOP;
    }
    Observation observation =
        Observation.createNotStarted(name, () -> new LinkedObservationContext(links), registry)
            .contextualName(spanName)
            .lowCardinalityKeyValue("model", model);
    // Without an explicit parent, createNotStarted takes the thread's current observation,
    // which on a pool or worker thread belongs to no one in particular.
    observation.parentObservation(parent);
    return observation.start();
  }
}
