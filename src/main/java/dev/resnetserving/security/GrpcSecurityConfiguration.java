package dev.resnetserving.security;

import org.springframework.boot.grpc.server.autoconfigure.ConditionalOnGrpcServerEnabled;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.security.AuthenticationProcessInterceptor;
import org.springframework.grpc.server.security.GrpcSecurity;
import org.springframework.security.authentication.ProviderManager;

/**
 * Who may call what over gRPC, by the same keys and provider as over HTTP (Spring gRPC's Spring
 * Security integration): with keys configured, health and reflection are open and every other
 * method needs a key with the {@code inference} role (no key or an unknown one: {@code
 * UNAUTHENTICATED}; a key without the role: {@code PERMISSION_DENIED}). With no key configured,
 * everything is open, as the REST API is. The matched key is the call's security context, so quotas
 * charge it as they charge an HTTP request.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnGrpcServerEnabled
class GrpcSecurityConfiguration {

  private static final String[] OPEN = {
    "grpc.health.v1.Health/*",
    "grpc.reflection.v1.ServerReflection/*",
    "grpc.reflection.v1alpha.ServerReflection/*"
  };

  @Bean
  @GlobalServerInterceptor
  AuthenticationProcessInterceptor grpcApiKeyInterceptor(
      GrpcSecurity grpc, ApiKeys keys, ApiKeyAuthenticationProvider apiKeyProvider)
      throws Exception {
    grpc.authenticationManager(new ProviderManager(apiKeyProvider));
    if (keys.enabled()) {
      grpc.authenticationExtractor(new ApiKeyMetadataExtractor())
          .authorizeRequests(
              requests ->
                  requests
                      .methods(OPEN)
                      .permitAll()
                      .allRequests()
                      .hasAuthority(Role.INFERENCE.authority().getAuthority()));
    } else {
      grpc.authorizeRequests(requests -> requests.allRequests().permitAll());
    }
    return grpc.build();
  }
}
