package org.rlhf4j.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rlhf4j launch --nproc N -- sft ...}: torchrun for rlhf4j on one machine. Starts N JVMs running the
 * command with RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT (and each rank's thread pools) set; they meet in
 * libtorch's c10d (TCPStore + Gloo), train on their shares of every batch with averaged gradients, and rank 0
 * writes the outputs. When a rank fails the others are stopped; the exit code is the first failure's.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = {"Data-parallel training on this machine: N processes (ranks) over libtorch's c10d Gloo backend, "
        + "each on its share of every batch, gradients averaged after backward, rank 0 writing checkpoints, logs and the model.",
        "Commands: pretrain, sft, dpo, ppo, rloo, grpo. --batch-size is the global batch (all ranks together) and must divide by N; "
            + "ppo/rloo/grpo: each rank samples and scores its share of every iteration's prompts (RLOO/GRPO groups stay on one "
            + "rank), PPO's whitening and KL are global, each response drawn from its own seeded stream (the same rollout for any N).",
        "Example: rlhf4j launch --nproc 2 --threads-per-rank 1 -- sft --model M --data D --output OUT"})
public final class LaunchCommand implements Callable<Integer> {
  @Option(names = "--nproc", required = true, description = "Processes (ranks) to start.") int nproc;
  @Option(names = "--threads-per-rank", description = "libtorch/OpenBLAS threads in each rank (default: cores / nproc, at least 1).")
  Integer threadsPerRank;
  @Option(names = "--master-port", description = "Rendezvous port on 127.0.0.1 (default: a free one).") Integer port;
  @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The training command and its arguments (after --).")
  List<String> command;

  @Override public Integer call() throws Exception {
    if (nproc < 1) throw new UserError("--nproc must be >= 1, got " + nproc);
    if (!Ranks.SUPPORTED.contains(command.get(0))) {
      throw new UserError("launch: '" + command.get(0) + "' does not train data-parallel; use one of " + new java.util.TreeSet<>(Ranks.SUPPORTED));
    }
    int threads = threadsPerRank != null ? threadsPerRank : Math.max(1, java.lang.Runtime.getRuntime().availableProcessors() / nproc);
    if (threads < 1) throw new UserError("--threads-per-rank must be >= 1");
    return run(nproc, threads, port == null ? freePort() : port, command);
  }

  /** Starts the ranks and waits for them; rank 0's stdout is this process's, the others' stderr is kept. */
  static int run(int nproc, int threads, int port, List<String> command) throws IOException, InterruptedException {
    return run(nproc, threads, port, command, Map.of());
  }

  /** As {@link #run(int, int, int, List)}, with {@code extraEnv} in every rank's environment (e.g. RLHF4J_DIST_BUCKET_MB). */
  static int run(int nproc, int threads, int port, List<String> command, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    List<Process> ranks = new ArrayList<>();
    for (int r = 0; r < nproc; r++) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("RANK", "" + r);
      env.put("LOCAL_RANK", "" + r);
      env.put("WORLD_SIZE", "" + nproc);
      env.put("MASTER_ADDR", "127.0.0.1");
      env.put("MASTER_PORT", "" + port);
      env.put("RLHF4J_THREADS", "" + threads);
      env.put("OMP_NUM_THREADS", "" + threads);
      env.put("OPENBLAS_NUM_THREADS", "" + threads);
      env.putAll(extraEnv);
      ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(Main.class.getName(), command));
      pb.environment().putAll(env);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.redirectOutput(r == 0 ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
      ranks.add(pb.start());
    }
    return await(ranks);
  }

  /** Waits for every rank; once one fails, the others get a grace period (their collectives time out) then are stopped. */
  private static int await(List<Process> ranks) throws InterruptedException {
    int failure = 0;
    long deadline = Long.MAX_VALUE;
    while (true) {
      boolean running = false;
      for (int r = 0; r < ranks.size(); r++) {
        Process p = ranks.get(r);
        if (p.isAlive()) {
          running = true;
        } else if (p.exitValue() != 0 && failure == 0) {
          failure = p.exitValue();
          deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          org.rlhf4j.common.Reporter.get().warn("launch: rank " + r + " exited with code " + failure + "; the other ranks stop "
              + "(their collectives fail) or are stopped in 10 s");
        }
      }
      if (!running) return failure;
      if (System.nanoTime() > deadline) {
        for (Process p : ranks) if (p.isAlive()) p.destroy();
        for (Process p : ranks) p.waitFor(10, TimeUnit.SECONDS);
        return failure;
      }
      Thread.sleep(100);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
