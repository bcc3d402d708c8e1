package dev.resnetserving.config;

import dev.resnetserving.inference.LinkedObservationContext;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns the serving core's observations into spans with links. Boot's handlers stay in charge of
 * every other observation (the HTTP server's among them): each handler group asks its members in
 * order and the first that supports a context handles it.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  LinkingTracingObservationHandler linkingTracingObservationHandler(Tracer tracer) {
    return new LinkingTracingObservationHandler(tracer);
  }

  /** Replaces Boot's sampler, from the same property with the same default. */
  @Bean
  Sampler otelSampler(@Value("${management.tracing.sampling.probability:0.1}") double probability) {
    return new SampledLinksSampler(probability);
  }

  /**
   * Keeps Boot's meter handler from timing the core's observations: their meters are registered
   * explicitly, with tags and buckets of their own, under the same names.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  MeterObservationHandler<LinkedObservationContext> spansOnlyMeterObservationHandler() {
    return new MeterObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return context instanceof LinkedObservationContext;
      }
    };
  }

  /**
   * Micrometer's default tracing handler, plus a link to each observation the context names. It
   * does not extend {@code DefaultTracingObservationHandler}: Boot would then back off from
   * registering its own, which every other observation needs.
   */
  static final class LinkingTracingObservationHandler
      implements TracingObservationHandler<LinkedObservationContext> {

    private final Tracer tracer;

    LinkingTracingObservationHandler(Tracer tracer) {
      this.tracer = tracer;
    }

    @Override
    public Tracer getTracer() {
      return tracer;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof LinkedObservationContext;
    }

    @Override
    public void onStart(LinkedObservationContext context) {
      Span.Builder builder = getTracer().spanBuilder();
      Span parent = getParentSpan(context);
      if (parent == null) {
        builder.setNoParent();
      } else {
        builder.setParent(parent.context());
      }
      for (Observation linked : context.links()) {
        TracingContext tracing = linked.getContextView().get(TracingContext.class);
        if (tracing != null && tracing.getSpan() != null) {
          builder.addLink(new Link(tracing.getSpan()));
        }
      }
      getTracingContext(context).setSpan(builder.start());
    }

    @Override
    public void onStop(LinkedObservationContext context) {
      Span span = getRequiredSpan(context);
      span.name(getSpanName(context));
      tagSpan(context, span);
      endSpan(context, span);
    }
  }
}
