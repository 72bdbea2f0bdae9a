package org.rlhf4j.serving;

/** A request the API refuses, with OpenAI's error fields: HTTP status, message, type, the offending param, a code. */
final class ApiError extends RuntimeException {
  final int status;
  final String type;
  final String param;
  final String code;

  ApiError(int status, String message, String type, String param, String code) {
    super(message);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** 400 invalid_request_error naming {@code param}. */
  static ApiError invalid(String param, String message) {
    return new ApiError(400, message, "invalid_request_error", param, null);
  }
}
