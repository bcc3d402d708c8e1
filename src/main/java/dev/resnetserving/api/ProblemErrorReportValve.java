package dev.resnetserving.api;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error page as a problem: requests Tomcat refuses before any application code runs (a
 * malformed request line, an encoded slash, a header too large, an unknown HTTP version) get {@code
 * application/problem+json} like every other error, with no server name or version.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean();
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "Error" : known.getReasonPhrase();
    String slug;
    String detail;
    if (status < 500) {
      slug = "unreadable-request";
      detail =
          "the server could not read the request: check the request line, that the path has "
              + "no encoded '/' or invalid escapes, and the size of the headers";
    } else if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value()) {
      slug = "http-version-not-supported";
      detail = "send HTTP/1.1";
    } else {
      slug = "internal-error";
      detail = "the server failed to handle the request";
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(
            "{\"type\":\""
                + ProblemDetailsAdvice.TYPE_PREFIX
                + slug
                + "\",\"title\":\""
                + title
                + "\",\"status\":"
                + status
                + ",\"detail\":\""
                + detail
                + "\"}");
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was committed meanwhile: nothing is left to tell.
    }
  }
}
