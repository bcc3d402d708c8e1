package dev.resnetserving;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ResnetServingApplication {

  public static void main(String[] args) {
    SpringApplication.run(ResnetServingApplication.class, args);
  }
}
