package org.rlhf4j.demo.pipeline;

import java.util.List;

/** Scores responses to prompt texts (the learned reward model, or the gold reward). */
@FunctionalInterface
interface ResponseScorer {
  double[] score(List<String> prompts, List<String> responses);
}
