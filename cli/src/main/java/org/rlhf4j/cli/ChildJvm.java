package org.rlhf4j.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts another JVM like this one (same java binary, JVM options and classpath) running {@code mainClass}: for
 * measurements that need a fresh process (peak RSS) and for the ranks of a data-parallel run. The environment is
 * inherited (thread-pool variables included) plus {@code env}; stderr is inherited, stdout is the caller's to read.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The command line that runs {@code mainClass} with {@code args} in a JVM like this one. */
  public static List<String> command(String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) cmd.add(a); // a debugger or coverage agent stays with the parent
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** Starts the child; its stdout is piped to the caller, stderr goes where this JVM's goes. */
  public static Process start(String mainClass, List<String> args, Map<String, String> env) throws java.io.IOException {
    ProcessBuilder pb = new ProcessBuilder(command(mainClass, args));
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    return pb.start();
  }
}
