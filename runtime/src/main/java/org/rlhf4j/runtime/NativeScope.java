package org.rlhf4j.runtime;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * One native-memory scope, normally one per training or generation step. Every libtorch
 * object created on this thread while the scope is open is freed when it closes, except
 * those passed to {@link #keep}. This is the only class in rlhf4j that touches JavaCPP's
 * {@code PointerScope}; algorithm code never sees it.
 *
 * <p>JavaCPP's scope stack is per thread: open, use and close a scope on one thread.
 */
public final class NativeScope implements AutoCloseable {
  private final PointerScope scope;

  private NativeScope() { this.scope = new PointerScope(); }

  public static NativeScope open() { return new NativeScope(); }

  /** Keeps {@code p} alive past this scope (it is then owned by the Java object, freed by GC or explicitly). */
  public <P extends Pointer> P keep(P p) {
    // A scope holds one reference; detaching releases it, so take one of our own first.
    p.retainReference();
    scope.detach(p);
    PointerScope outer = enclosing();
    if (outer != null) { // the enclosing scope becomes the owner
      outer.attach(p);
      p.releaseReference();
    }
    return p;
  }

  /** The scope this one is nested in (the next one out on this thread's stack), or null. */
  private PointerScope enclosing() {
    java.util.Iterator<PointerScope> it = PointerScope.getScopeIterator();
    while (it != null && it.hasNext()) {
      if (it.next() == scope) return it.hasNext() ? it.next() : null;
    }
    return null;
  }

  @Override public void close() { scope.close(); }

  /** Runs {@code body} inside a fresh scope and returns its result, which is kept. */
  public static <P extends Pointer> P call(java.util.function.Supplier<P> body) {
    try (NativeScope s = open()) {
      return s.keep(body.get());
    }
  }

  /**
   * Runs {@code body} in a fresh scope and returns its result owned by no scope: it lives until it is closed or the
   * garbage collector frees it (for long-lived objects made mid-step, e.g. a prepacked weight); the rest is freed.
   */
  public static <P extends Pointer> P escape(java.util.function.Supplier<P> body) {
    try (NativeScope s = open()) {
      P p = body.get();
      p.retainReference(); // the scope's reference goes with detach; this one stays with the Java object
      s.scope.detach(p);
      return p;
    }
  }

  /** Runs {@code body} in a fresh scope for its side effects; everything it allocated is freed. */
  public static void run(Runnable body) {
    try (NativeScope s = open()) {
      body.run();
    }
  }
}
