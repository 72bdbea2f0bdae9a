package org.rlhf4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs {@code rlhf4j ARGS} in-process, capturing the exit code, standard output and the error stream. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      var cl = Main.commandLine();
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(old);
    }
  }
}
