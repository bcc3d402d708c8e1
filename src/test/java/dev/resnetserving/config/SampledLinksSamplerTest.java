package dev.resnetserving.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch (a root span) is sampled when a request it links to is; everything else as Boot samples.
 */
class SampledLinksSamplerTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private final SampledLinksSampler sampler = new SampledLinksSampler(0.0);

  @Test
  void samplesARootThatLinksToASampledSpan() {
    List<LinkData> links = List.of(link(false), link(true));

    assertThat(decide(Context.root(), links)).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void leavesARootWithoutSampledLinksToTheProbability() {
    assertThat(decide(Context.root(), List.of(link(false)))).isEqualTo(SamplingDecision.DROP);
    SampledLinksSampler always = new SampledLinksSampler(1.0);
    assertThat(
            always
                .shouldSample(
                    Context.root(),
                    TRACE,
                    "batch",
                    SpanKind.INTERNAL,
                    Attributes.empty(),
                    List.of())
                .getDecision())
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void aChildFollowsItsParentWhateverItLinksTo() {
    Context unsampledParent = Context.root().with(Span.wrap(context("b7ad6b7169203331", false)));

    assertThat(decide(unsampledParent, List.of(link(true)))).isEqualTo(SamplingDecision.DROP);
  }

  private SamplingDecision decide(Context parent, List<LinkData> links) {
    return sampler
        .shouldSample(parent, TRACE, "batch", SpanKind.INTERNAL, Attributes.empty(), links)
        .getDecision();
  }

  private static LinkData link(boolean sampled) {
    return LinkData.create(context(sampled ? "00f067aa0ba902b7" : "00f067aa0ba902b8", sampled));
  }

  private static SpanContext context(String spanId, boolean sampled) {
    return SpanContext.create(
        "4bf92f3577b34da6a3ce929d0e0e4736",
        spanId,
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
  }
}
