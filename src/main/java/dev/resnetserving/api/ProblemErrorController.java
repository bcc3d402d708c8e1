package dev.resnetserving.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page as a problem too, in place of Spring Boot's own JSON: errors
 * that never reach a controller, such as a request body whose chunked encoding Tomcat cannot read,
 * are {@code application/problem+json} like every other. Says nothing of the cause.
 */
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping(
      path = "${server.error.path:/error}",
      produces = MediaType.APPLICATION_PROBLEM_JSON_VALUE)
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    HttpStatus status =
        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code
                && HttpStatus.resolve(code) != null
            ? HttpStatus.valueOf(code)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    return status.is5xxServerError()
        ? ProblemDetailsAdvice.problem(
            status, "internal-error", "the server failed to handle the request")
        : ResponseEntity.status(status)
            .body(ProblemDetail.forStatusAndDetail(status, "the request could not be read"));
  }
}
