package dev.resnetserving.config;

import dev.resnetserving.inference.LinkedObservationContext;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler.TracingContext;
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

  /** Starts each span like Boot's handler does, adding a link to each observation the context names. */
  static final class LinkingTracingObservationHandler extends DefaultTracingObservationHandler {

    LinkingTracingObservationHandler(Tracer tracer) {
      super(tracer);
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return context instanceof LinkedObservationContext;
    }

    @Override
    public void onStart(Observation.Context context) {
      Span.Builder builder = getTracer().spanBuilder();
      Span parent = getParentSpan(context);
      if (parent == null) {
        builder.setNoParent();
      } else {
        builder.setParent(parent.context());
      }
      for (Observation linked : ((LinkedObservationContext) context).links()) {
        TracingContext tracing = linked.getContextView().get(TracingContext.class);
        if (tracing != null && tracing.getSpan() != null) {
          builder.addLink(new Link(tracing.getSpan()));
        }
      }
      getTracingContext(context).setSpan(builder.start());
    }
  }
}
