package dev.resnetserving.inference;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long libtorch's OpenMP threads (libgomp) spin before they sleep, set in the process's
 * environment before libtorch loads, since libgomp reads it only then. Its default, 300,000 spins,
 * keeps a core busy for milliseconds after every forward pass while a lone request's response and
 * the next request's decoding want it; 10,000 still spans the gaps between one pass's parallel
 * regions. Side by side, a lone request's p50 fell (docs/benchmarks.md). Under load nothing
 * changes: with more pooled threads than cores libgomp spins only 100 times either way. An
 * environment that sets {@code GOMP_SPINCOUNT} or {@code OMP_WAIT_POLICY} is left as it is.
 */
final class OpenMpSpin {

  private static final Logger log = LoggerFactory.getLogger(OpenMpSpin.class);
  static final String VARIABLE = "GOMP_SPINCOUNT";
  static final String SPIN_COUNT = "10000";

  private OpenMpSpin() {}

  /** Sets the spin count unless {@code environment} already decides it; true when it did. */
  static boolean apply(Map<String, String> environment) {
    if (environment.containsKey(VARIABLE) || environment.containsKey("OMP_WAIT_POLICY")) {
      return false;
    }
    try {
      if (CLibrary.setenv(VARIABLE, SPIN_COUNT, 0) != 0) {
        log.warn("Could not set {}: setenv failed", VARIABLE);
        return false;
      }
      return true;
    } catch (LinkageError e) {
      // No POSIX setenv (Windows): libtorch there does not use libgomp either.
      log.debug("Could not set {}: {}", VARIABLE, e.toString());
      return false;
    }
  }

  /** The C library's environment, which native code reads (Java's own copy is read-only). */
  private static final class CLibrary {
    static {
      Native.register(CLibrary.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private CLibrary() {}

    static native int setenv(String name, String value, int overwrite);
  }
}
