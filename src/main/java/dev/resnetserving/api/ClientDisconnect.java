package dev.resnetserving.api;

import java.util.concurrent.Future;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * When a client goes away (or the async request times out) while its images wait for the
 * model, cancels the pending classification so its images are withdrawn from the queue and
 * never run.
 */
@Configuration(proxyBeanMethods = false)
class ClientDisconnect implements WebMvcConfigurer, DeferredResultProcessingInterceptor {

  private static final String PENDING = ClientDisconnect.class.getName() + ".pending";

  /** Remembers the work to cancel should this request's client disappear. */
  static void track(NativeWebRequest request, Future<?> pending) {
    request.setAttribute(PENDING, pending, RequestAttributes.SCOPE_REQUEST);
  }

  @Override
  public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
    configurer.registerDeferredResultInterceptors(this);
  }

  @Override
  public <T> boolean handleError(NativeWebRequest request, DeferredResult<T> result, Throwable t) {
    cancel(request);
    return true;
  }

  @Override
  public <T> boolean handleTimeout(NativeWebRequest request, DeferredResult<T> result) {
    cancel(request);
    return true;
  }

  private static void cancel(NativeWebRequest request) {
    if (request.getAttribute(PENDING, RequestAttributes.SCOPE_REQUEST) instanceof Future<?> pending) {
      pending.cancel(false);
    }
  }
}
