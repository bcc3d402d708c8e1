package dev.resnetserving.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resnetserving.ResnetServingApplication;
import dev.resnetserving.support.HttpTestClient;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Both readiness probes, asked while the port is open but Spring does not yet (or no longer) accept
 * traffic: after the web server started and before the application is ready, and once shutdown
 * began. They answered 503 and 400 there; a client error says the caller is at fault.
 */
@Timeout(120)
class ReadinessProbesIT {

  private static final List<String> PROBES =
      List.of("/readyz", "/v2/health/ready", "/v2/models/tiny-resnet/ready");

  @Test
  void answer503WhileStartingAndShuttingDownAnd200InBetween() throws Exception {
    Map<String, Integer> starting = new TreeMap<>();
    Map<String, Integer> shuttingDown = new TreeMap<>();
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(ResnetServingApplication.class)
            .listeners(
                (ApplicationListener<ApplicationEvent>)
                    event -> {
                      // Published once the web server has started, before the application is ready.
                      if (event instanceof ApplicationStartedEvent started) {
                        starting.putAll(probe(started.getApplicationContext()));
                      }
                    })
            .run(
                "--resnet.model.uri=src/test/resources/models/tiny-resnet",
                "--server.port=0",
                "--management.server.port=0");
    try {
      context.addApplicationListener(
          (ApplicationListener<ContextClosedEvent>) event -> shuttingDown.putAll(probe(context)));
      Map<String, Integer> ready = probe(context);
      context.close();

      assertThat(starting)
          .as("starting")
          .containsOnlyKeys(PROBES)
          .allSatisfy((probe, status) -> assertThat(status).isEqualTo(503));
      assertThat(ready)
          .as("ready")
          .allSatisfy((probe, status) -> assertThat(status).isEqualTo(200));
      assertThat(shuttingDown)
          .as("shutting down")
          .containsOnlyKeys(PROBES)
          .allSatisfy((probe, status) -> assertThat(status).isEqualTo(503));
    } finally {
      context.close();
    }
  }

  private static Map<String, Integer> probe(ConfigurableApplicationContext context) {
    HttpTestClient client =
        new HttpTestClient(
            Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    Map<String, Integer> statuses = new TreeMap<>();
    for (String probe : PROBES) {
      try {
        statuses.put(probe, client.get(probe).status());
      } catch (Exception e) {
        throw new IllegalStateException(probe + " did not answer", e);
      }
    }
    return statuses;
  }
}
