package dev.resnetserving.config;

import dev.resnetserving.inference.ModelReplicas;
import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;

/**
 * Makes the web server depend on the model, so that the model loads before Tomcat starts. Otherwise
 * the first filter that needs the model loads it inside Tomcat's start, and a model that cannot be
 * served is reported by Tomcat's own error and thread-leak warnings before the one message of
 * {@link ModelLoadFailureAnalyzer}.
 */
class ModelBeforeWebServer extends AbstractDependsOnBeanFactoryPostProcessor {

  ModelBeforeWebServer() {
    super(ServletWebServerFactory.class, ModelReplicas.class);
  }
}
