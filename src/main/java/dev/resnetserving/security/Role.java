package dev.resnetserving.security;

import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** What a key may do: run the model, or also change state and read configuration. */
public enum Role {
  INFERENCE,
  ADMIN;

  GrantedAuthority authority() {
    return new SimpleGrantedAuthority("ROLE_" + name());
  }

  static Role parse(String value) {
    return valueOf(value.strip().toUpperCase(Locale.ROOT));
  }
}
