package org.rlhf4j.demo.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Set;

/**
 * The demo's AI judges on the raters' pairs without the RL stages: stages 1-3 (resumed from OUT when done there),
 * then the grader's and the pairwise judge's labels; prints ai_labels as one JSON line. Not a test: an experiment.
 *
 * <pre>
 * mvn -q -B -ntp -o -pl demo -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/cp.txt
 * java --add-modules jdk.incubator.vector -cp demo/target/test-classes:demo/target/classes:$(cat cp.txt) \
 *     org.rlhf4j.demo.pipeline.JudgeProbe OUT [quick|default] [SEED]
 * </pre>
 */
public final class JudgeProbe {
  private JudgeProbe() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "runs/judge-probe");
    boolean quick = args.length > 1 && args[1].equals("quick");
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    DemoConfig cfg = (quick ? DemoConfig.quick(out, seed, false) : DemoConfig.defaults(out, seed, false)).withArms(Set.of("rlaif"));
    System.out.println(new ObjectMapper().writeValueAsString(new DemoPipeline(cfg).aiLabels()));
  }
}
