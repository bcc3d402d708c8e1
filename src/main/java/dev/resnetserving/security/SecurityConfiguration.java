package dev.resnetserving.security;

import dev.resnetserving.config.ResnetProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Who may call what, in one chain. Paths are matched as Spring MVC routes them (decoded, path
 * parameters removed), behind Spring Security's {@code StrictHttpFirewall}, which rejects ambiguous
 * spellings ({@code ;}, encoded {@code /} {@code .} {@code %}, {@code //}, {@code ..}) before
 * anything else runs. Every refusal is rendered by the MVC exception handlers, so it is the same
 * problem+json as every other error.
 *
 * <p>With keys configured: the probes, the try-it page and the API documentation are open; the v1
 * and v2 APIs need a key with the {@code inference} role; management routes need {@code admin};
 * anything else is refused. With no key configured, the API is open and management routes are
 * closed.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableScheduling
class SecurityConfiguration {

  private static final String[] OPEN = {
    "/",
    "/index.html",
    "/app.js",
    "/style.css",
    "/favicon.ico",
    "/livez",
    "/readyz",
    "/v2/health/live",
    "/v2/health/ready",
    "/swagger-ui.html",
    "/swagger-ui/**",
    "/v3/api-docs",
    "/v3/api-docs/**",
    "/actuator/health",
    "/actuator/health/**",
    "/actuator/prometheus"
  };
  private static final String[] INFERENCE = {"/v1/**", "/v2", "/v2/models/**"};
  private static final String[] ADMIN = {"/admin/**", "/actuator/**"};

  @Bean
  ApiKeys apiKeys(ResnetProperties properties) {
    ResnetProperties.Security security = properties.security();
    return new ApiKeys(security.apiKeys(), security.keysFile());
  }

  /**
   * The one check of a presented key, for HTTP and gRPC alike. As a bean it also stands in for the
   * in-memory user Spring Boot would otherwise create, with a password in the log.
   */
  @Bean
  ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeys keys) {
    return new ApiKeyAuthenticationProvider(keys);
  }

  @Bean
  TenantQuotas tenantQuotas(ApiKeys keys, MeterRegistry registry) {
    return new TenantQuotas(keys, registry);
  }

  @Bean
  KeysFileWatch keysFileWatch(ApiKeys keys) {
    return new KeysFileWatch(keys);
  }

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http,
      ApiKeys keys,
      ApiKeyAuthenticationProvider apiKeyProvider,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems)
      throws Exception {
    AuthenticationEntryPoint unauthorized =
        (request, response, e) -> problems.resolveException(request, response, null, e);
    AccessDeniedHandler forbidden =
        (request, response, e) -> problems.resolveException(request, response, null, e);
    http.csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .exceptionHandling(
            handling ->
                handling.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .authorizeHttpRequests(
            requests -> {
              // A request is authorised once, on arrival; its async and error dispatches follow it.
              requests
                  .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                  .permitAll();
              requests.requestMatchers(OPEN).permitAll();
              requests.requestMatchers(ADMIN).hasRole(Role.ADMIN.name());
              if (keys.enabled()) {
                requests.requestMatchers(INFERENCE).hasRole(Role.INFERENCE.name());
                requests.anyRequest().denyAll();
              } else {
                requests.anyRequest().permitAll();
              }
            });
    if (keys.enabled()) {
      AuthenticationFilter authentication =
          new AuthenticationFilter(
              new ProviderManager(apiKeyProvider), new ApiKeyAuthenticationConverter());
      authentication.setSuccessHandler((request, response, auth) -> {});
      authentication.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthorized));
      http.addFilterBefore(authentication, AnonymousAuthenticationFilter.class);
    }
    return http.build();
  }

  /** Requests the firewall rejects get a 400 problem, not a 500. */
  @Bean
  RequestRejectedHandler requestRejectedHandler(
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
    return (request, response, e) -> problems.resolveException(request, response, null, e);
  }

  /** Looks at the keys file every {@code resnet.security.keys-file-check}. */
  static final class KeysFileWatch {

    private final ApiKeys keys;

    KeysFileWatch(ApiKeys keys) {
      this.keys = keys;
    }

    @Scheduled(
        initialDelayString = "${resnet.security.keys-file-check:2s}",
        fixedDelayString = "${resnet.security.keys-file-check:2s}")
    void check() {
      keys.reloadIfChanged();
    }
  }
}
