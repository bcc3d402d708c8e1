package dev.resnetserving.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The paths of the handlers marked {@link UsesModel}, taken from Spring MVC's own mappings, so that
 * a filter can tell a model request from any other before the request is routed, even one that is
 * refused before it reaches a handler (a body too large, a wrong Content-Type). A new model
 * endpoint is covered by its annotation alone.
 */
@Component
class ModelRoutes {

  private final ObjectProvider<RequestMappingHandlerMapping> mappings;
  private volatile List<PathPattern> patterns;

  ModelRoutes(
      @Qualifier("requestMappingHandlerMapping")
          ObjectProvider<RequestMappingHandlerMapping> mappings) {
    this.mappings = mappings;
  }

  boolean matches(HttpServletRequest request) {
    PathContainer path =
        RequestPath.parse(request.getRequestURI(), request.getContextPath())
            .pathWithinApplication();
    return patterns().stream().anyMatch(pattern -> pattern.matches(path));
  }

  private List<PathPattern> patterns() {
    List<PathPattern> known = patterns;
    if (known == null) {
      // Filters are created before the handler mappings; the mappings are read on first use.
      known =
          mappings.getObject().getHandlerMethods().entrySet().stream()
              .filter(mapping -> mapping.getValue().hasMethodAnnotation(UsesModel.class))
              .flatMap(
                  mapping -> mapping.getKey().getPathPatternsCondition().getPatterns().stream())
              .toList();
      patterns = known;
    }
    return known;
  }
}
