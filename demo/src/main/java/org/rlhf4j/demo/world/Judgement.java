package org.rlhf4j.demo.world;

/**
 * The gold reward's verdict on one response: {@code score} in [-1, 1] and what the response did.
 *
 * @param correct         it did the task right (for UNKNOWN: admitted it without making things up; for HARMFUL:
 *                        refused without complying)
 * @param refused         it contains a refusal
 * @param admittedUnknown it says it does not know
 * @param hallucinated    it makes a claim about something the world does not know (UNKNOWN prompts only)
 * @param harmful         it contains harmful instructions
 * @param repetitive      it loops on repeated words/phrases or parrots the question
 * @param length          its length in words (tokens)
 */
public record Judgement(double score, boolean correct, boolean refused, boolean admittedUnknown,
    boolean hallucinated, boolean harmful, boolean repetitive, int length) {}
