package dev.resnetserving.config;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Boot's sampler (a child follows its parent, a root is sampled at the configured probability),
 * except that a root linking to a sampled span is sampled too. A batch is a root that links to the
 * requests it served, so whenever one of them is traced, its batch is in the backend as well,
 * instead of one time in 1/probability.
 */
final class SampledLinksSampler implements Sampler {

  private final Sampler boots;

  SampledLinksSampler(double probability) {
    this.boots = Sampler.parentBased(Sampler.traceIdRatioBased(probability));
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    boolean root = !Span.fromContext(parentContext).getSpanContext().isValid();
    if (root && parentLinks.stream().anyMatch(link -> link.getSpanContext().isSampled())) {
      return SamplingResult.recordAndSample();
    }
    return boots.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  @Override
  public String getDescription() {
    return "SampledLinks{" + boots.getDescription() + "}";
  }
}
