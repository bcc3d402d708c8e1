package dev.resnetserving.inference;

import io.micrometer.observation.Observation;
import java.util.List;

/**
 * The context of the serving core's spans: besides its parent, a span may point at other
 * observations (a batch at the requests it served, a request's inference at its batch). The
 * Observation API has no links, so the context carries them and the tracing handler in {@code
 * config} turns them into span links. These observations make spans only: the core's meters are
 * registered explicitly by {@link InferenceMetrics} and the classification metrics.
 */
public final class LinkedObservationContext extends Observation.Context {

  private final List<Observation> links;

  LinkedObservationContext(List<Observation> links) {
    this.links = List.copyOf(links);
  }

  /** The observations this one's span links to. */
  public List<Observation> links() {
    return links;
  }
}
