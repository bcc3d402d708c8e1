package dev.resnetserving.api;

import dev.resnetserving.config.ResnetProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Future;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.DeferredResultProcessingInterceptor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * When a client hangs up (seen by {@link ClosedConnectionWatch}) or the container reports an async
 * timeout or error while its images wait for the model, cancels the pending work so its images are
 * withdrawn from the queue and never run.
 */
@Configuration(proxyBeanMethods = false)
class ClientDisconnect
    implements WebMvcConfigurer, DeferredResultProcessingInterceptor, AutoCloseable {

  private static final String PENDING = ClientDisconnect.class.getName() + ".pending";
  private static final String CONNECTION = ClientDisconnect.class.getName() + ".connection";

  private final ClosedConnectionWatch watch;

  ClientDisconnect(ResnetProperties properties) {
    this.watch = ClosedConnectionWatch.ofProcNet(properties.batching().hangUpCheck());
  }

  /** Remembers the work to cancel should this request's client disappear. */
  static void track(NativeWebRequest request, Future<?> pending) {
    request.setAttribute(PENDING, pending, RequestAttributes.SCOPE_REQUEST);
  }

  @Override
  public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
    configurer.registerDeferredResultInterceptors(this);
  }

  @Override
  public <T> void preProcess(NativeWebRequest request, DeferredResult<T> result)
      throws UnknownHostException {
    HttpServletRequest servlet = request.getNativeRequest(HttpServletRequest.class);
    if (servlet != null && pending(request) instanceof Future<?> pending) {
      ClosedConnectionWatch.Connection connection =
          new ClosedConnectionWatch.Connection(
              InetAddress.getByName(servlet.getRemoteAddr()),
              servlet.getRemotePort(),
              servlet.getLocalPort());
      request.setAttribute(CONNECTION, connection, RequestAttributes.SCOPE_REQUEST);
      watch.watch(connection, pending);
    }
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

  @Override
  public <T> void afterCompletion(NativeWebRequest request, DeferredResult<T> result) {
    if (request.getAttribute(CONNECTION, RequestAttributes.SCOPE_REQUEST)
        instanceof ClosedConnectionWatch.Connection connection) {
      watch.forget(connection);
    }
  }

  private static Object pending(NativeWebRequest request) {
    return request.getAttribute(PENDING, RequestAttributes.SCOPE_REQUEST);
  }

  private static void cancel(NativeWebRequest request) {
    if (pending(request) instanceof Future<?> pending) {
      pending.cancel(false);
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
