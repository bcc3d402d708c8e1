package dev.resnetserving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The model, batching and image code stays plain Java, testable without a Spring context. */
@AnalyzeClasses(packages = "dev.resnetserving", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreIsFreeOfSpring =
      noClasses()
          .that()
          .resideInAnyPackage(
              "dev.resnetserving.inference..", "dev.resnetserving.image..", "dev.resnetserving.classification..")
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
}
