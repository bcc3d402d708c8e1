package dev.resnetserving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The model, batching and image code stays plain Java, testable without a Spring context. */
@AnalyzeClasses(packages = "dev.resnetserving", importOptions = ArchitectureTest.MainClasses.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreIsFreeOfSpring =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.resnetserving.inference..",
              "dev.resnetserving.image..",
              "dev.resnetserving.classification..",
              "dev.resnetserving.training..",
              "dev.resnetserving.explain..",
              "dev.resnetserving.v2..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..", "jakarta.servlet..");

  @ArchTest
  static final ArchRule imagesKnowNothingOfTheModel =
      noClasses()
          .that()
          .resideInAPackage("dev.resnetserving.image..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.resnetserving.inference..",
              "dev.resnetserving.classification..",
              "dev.resnetserving.api..",
              "ai.djl..");

  @ArchTest
  static final ArchRule onlyTheWebLayerKnowsTheWeb =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.resnetserving.api..", "dev.resnetserving.config..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.resnetserving.api..");

  /**
   * Training is a batch job: the serving code never calls it, {@code main}'s {@code train} does.
   */
  @ArchTest
  static final ArchRule onlyTheCommandLineEntryStartsTraining =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.resnetserving.training..")
          .and()
          .doNotBelongToAnyOf(ResnetServingApplication.class)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.resnetserving.training..");

  /**
   * The PyTorch engine's own classes ({@code JniUtils}, {@code PtSymbolBlock}, ...) change between
   * DJL releases; serving reaches PyTorch through DJL's engine-neutral API only.
   */
  @ArchTest
  static final ArchRule onlyTrainingTouchesTheEngineInternals =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.resnetserving.training..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ai.djl.pytorch..");

  /** The gRPC door stands beside the web layer, on the same model: no servlet, no Spring MVC. */
  @ArchTest
  static final ArchRule theGrpcDoorKnowsNothingOfTheWeb =
      noClasses()
          .that()
          .resideInAPackage("dev.resnetserving.grpc..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("jakarta.servlet..", "org.springframework.web..");

  /** The doors stand side by side over the same classifier: the web door knows nothing of gRPC. */
  @ArchTest
  static final ArchRule theWebDoorKnowsNothingOfGrpc =
      noClasses()
          .that()
          .resideInAPackage("dev.resnetserving.api..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.resnetserving.grpc..");

  /** The serving core is used by the doors and the wiring, and uses none of them. */
  @ArchTest
  static final ArchRule theCoreKnowsNoDoor =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.resnetserving.image..",
              "dev.resnetserving.inference..",
              "dev.resnetserving.classification..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.resnetserving.api..",
              "dev.resnetserving.v2..",
              "dev.resnetserving.grpc..",
              "dev.resnetserving.security..",
              "dev.resnetserving.explain..",
              "dev.resnetserving.config..",
              "dev.resnetserving.upload..");

  /**
   * Leaves out test classes whatever the build directory is called: ArchUnit's own option only
   * knows {@code target/test-classes}, and parallel local builds use {@code -Dbuild.dir=...}.
   */
  static final class MainClasses implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("/test-classes/");
    }
  }
}
