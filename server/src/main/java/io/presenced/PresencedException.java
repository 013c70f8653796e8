package io.presenced;

/** Root of every exception Presenced throws: unchecked, for bugs and broken infrastructure. */
public class PresencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PresencedException(String message) {
        super(message);
    }

    public PresencedException(String message, Throwable cause) {
        super(message, cause);
    }
}
