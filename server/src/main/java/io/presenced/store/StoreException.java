package io.presenced.store;

import io.presenced.PresencedException;

/** The store could not do what it was asked: a broken database, not bad input. */
public class StoreException extends PresencedException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
