package io.presenced.bench.scenario;

/** Who receives each event of a load, as a phase counts them: how many subscriptions, and their errors so far. */
interface Audience {
    /** No subscribers at all. */
    Audience NONE = new Audience() {
        @Override
        public int count() {
            return 0;
        }

        @Override
        public long errors() {
            return 0;
        }
    };

    /** Subscriptions that receive each event. */
    int count();

    /** Notifications that could not be read, and sessions that closed, so far. */
    long errors();
}
