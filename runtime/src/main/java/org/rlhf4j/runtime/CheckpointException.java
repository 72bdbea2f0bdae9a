package org.rlhf4j.runtime;

/** A checkpoint that cannot be read or does not fit the model: the message names the file and the tensor. */
public class CheckpointException extends RuntimeException {
  public CheckpointException(String message) { super(message); }
  public CheckpointException(String message, Throwable cause) { super(message, cause); }
}
