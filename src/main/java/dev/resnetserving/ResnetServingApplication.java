package dev.resnetserving;

import dev.resnetserving.training.TrainCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class ResnetServingApplication {

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("train")) {
      // The transfer-learning job is a batch command: no web server, no Spring context.
      TrainCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(ResnetServingApplication.class, args);
  }
}
