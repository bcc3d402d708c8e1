import ai.djl.engine.Engine;

/**
 * Starts the PyTorch engine once while the image is built, so that DJL unpacks the bundled CPU
 * libtorch (or downloads the CUDA flavour named by PYTORCH_FLAVOR) into ENGINE_CACHE_DIR. The
 * image keeps that directory read-only: containers start without writing 400 MB of native
 * libraries and without network access.
 */
public final class PrepareEngine {

  private PrepareEngine() {}

  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    System.out.printf(
        "PyTorch %s prepared in %s%n", engine.getVersion(), System.getenv("ENGINE_CACHE_DIR"));
  }
}
