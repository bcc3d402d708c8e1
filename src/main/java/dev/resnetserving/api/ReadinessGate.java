package dev.resnetserving.api;

import dev.resnetserving.config.ServingReadiness;
import dev.resnetserving.inference.NotServedException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * The one place that refuses model requests while the service cannot serve them: before start-up
 * finished, while shutting down, with no live worker or with every worker stuck. Runs after the
 * request is routed and authenticated, before the handler runs.
 */
@Component
class ReadinessGate implements HandlerInterceptor {

  private final ServingReadiness readiness;

  ReadinessGate(ServingReadiness readiness) {
    this.readiness = readiness;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    // Only on arrival: the async dispatch that writes an accepted request's answer must pass,
    // shutting down or not.
    if (request.getDispatcherType() == DispatcherType.REQUEST
        && handler instanceof HandlerMethod method
        && method.hasMethodAnnotation(UsesModel.class)) {
      readiness
          .unavailability()
          .ifPresent(
              reason -> {
                throw new NotServedException(reason);
              });
    }
    return true;
  }
}
