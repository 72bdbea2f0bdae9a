package org.rlhf4j.feedback;

/** An HTTP error answered as {@code {"error": message}} with the given 4xx/5xx status. */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }

  static ApiError badRequest(String message) { return new ApiError(400, message); }
  static ApiError unauthorized(String message) { return new ApiError(401, message); }
  static ApiError forbidden(String message) { return new ApiError(403, message); }
  static ApiError notFound(String message) { return new ApiError(404, message); }
  static ApiError conflict(String message) { return new ApiError(409, message); }
}
